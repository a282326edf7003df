// Calendar days as people and requests write them: "2026-11-24".
#pragma once

#include <cstdint>
#include <string>

namespace hearth {

// The day of `ms` (since the Unix epoch) on this machine's local clock.
std::string local_day(int64_t ms);
// The day of `ms` in UTC.
std::string utc_day(int64_t ms);

}  // namespace hearth
