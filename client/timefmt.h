// Times as the CLI shows them. Inputs are milliseconds since the Unix epoch,
// as control.capnp carries them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::client {

// RFC 3339 in UTC with milliseconds: "2026-11-24T16:32:00.123Z".
std::string rfc3339_utc(int64_t ms);

// For people, in local time. A moment on the same local day as `now_ms` is
// "today 16:32"; in the same year "Tue 24 Nov 16:32"; else "24 Nov 2025 16:32".
std::string human_time(int64_t ms, int64_t now_ms);

// A moment soon after now (a pause's end): "21:40" on the same local day,
// else as human_time.
std::string human_clock(int64_t ms, int64_t now_ms);

// A day for people, in local time: "Tue 24 Nov" in the year of `now_ms`,
// else "24 Nov 2027".
std::string human_day(int64_t ms, int64_t now_ms);

// How long ago, in local days, for a check-in's age: "today", "yesterday",
// "3 days ago"; from two weeks back, or a day ahead (a clock ahead), the day
// as human_day.
std::string human_age(int64_t ms, int64_t now_ms);

// The start (00:00 local time) of the day "YYYY-MM-DD", in ms since the
// epoch; nullopt for anything else or a day that does not exist.
std::optional<int64_t> local_day_start(std::string_view yyyy_mm_dd);

// The next moment after now_ms whose local clock shows "HH:MM" (later today,
// else tomorrow); nullopt for anything else.
std::optional<int64_t> next_local_clock(std::string_view hh_mm, int64_t now_ms);

// "2026-11-24 16:32:05" in local time, for the activity log.
std::string local_timestamp(int64_t ms);

// "20 minutes", "1 hour", "1 hour 30 minutes".
std::string human_minutes(unsigned minutes);

int64_t now_ms();

}  // namespace hearth::client
