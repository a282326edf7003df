// Quiet hours: a span of the local day in which `hearth notify` posts
// nothing (docs/DESIGN.md §10.3). Written "22:00-08:00"; a span whose end is
// earlier than its start runs past midnight. The daemon checks the setting
// with this parser and stores QuietHours::text(); `hearth notify` reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace hearth::model {

struct QuietHours {
  int start = 0;  // minutes after local midnight, 0..1439
  int end = 0;    // the first minute after the span; never equal to start

  // Whether the local clock showing `minute_of_day` (0..1439) is inside:
  // from start (inclusive) to end (exclusive), across midnight when end < start.
  bool contains(int minute_of_day) const;
  // "22:00-08:00".
  std::string text() const;
};

// "off" is nullopt; "22:00-08:00" (or "7:30-9:00", spaces around the dash
// allowed) is a span. Anything else, or a start equal to the end, is
// kInvalidArgument with a sentence saying what is expected.
Result<std::optional<QuietHours>> parse_quiet_hours(std::string_view text);

// The local clock's minute of the day (0..1439) at `ms` since the epoch.
int local_minute_of_day(int64_t ms);

}  // namespace hearth::model
