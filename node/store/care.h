// Care (docs/DESIGN.md §5.9): after three red check-ins of this device's
// own within seven days, at most once a week, a gentle line offers `hearth
// help crisis`. Shown to this device's person alone; nothing of it is sent.
#pragma once

#include "store/store.h"

namespace hearth::store {

inline constexpr int kCareReds = 3;
inline constexpr int64_t kCareWindowMs = int64_t{7} * 24 * 60 * 60 * 1000;

// Whether to offer the line now; if so, remembers that it was offered (in
// the config table, a local fact).
Result<bool> offer_care_line(Store& store, int64_t now_ms);

}  // namespace hearth::store
