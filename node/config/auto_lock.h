// The `auto-lock` setting as text (`hearth config set auto-lock 30m`), read
// and written the same way by the settings file (config/daemon_config.h) and
// by hearthd's timer that applies it (control/auto_lock.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace hearth::config {

inline constexpr std::chrono::minutes kMinAutoLock{1};
inline constexpr std::chrono::minutes kMaxAutoLock{24 * 60};

// "off", or a duration: "30m", "2h", "1h30m" (also "90m", "1h 30m", any
// case), from kMinAutoLock to kMaxAutoLock. nullopt: off.
Result<std::optional<std::chrono::minutes>> parse_auto_lock(std::string_view text);
// How the setting is stored and shown: "off", "45m", "2h", "1h30m".
std::string format_auto_lock(std::optional<std::chrono::minutes> limit);

}  // namespace hearth::config
