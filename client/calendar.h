// The capacity calendar (docs/DESIGN.md §5.3): for each local day, the
// lowest capacity of that day's check-ins, mine and, where shared, my
// partner's. Days are local dates. Nothing here counts or grades: a day is
// a colour, or nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/json.h"
#include "client/reply.h"

namespace hearth::client {

inline constexpr int kDefaultCalendarWeeks = 4;
inline constexpr int kMaxCalendarWeeks = 52;

// A day's capacity: the lowest of its check-ins (red below yellow below
// green); kNone without a check-in that this client can read.
enum class DayCapacity : uint8_t { kNone, kGreen, kYellow, kRed };

// A calendar date as a count of days since 1970-01-01 (pure calendar
// arithmetic: no time zone, no daylight saving).
using DayNumber = int64_t;

// The local date of a moment (ms since the epoch), in the process's zone.
DayNumber local_day_number(int64_t ms);
// "2026-11-24".
std::string iso_date(DayNumber day);
// 0 for Monday .. 6 for Sunday.
int weekday(DayNumber day);
// "Mon".
std::string weekday_name(DayNumber day);
// "2 Nov".
std::string day_and_month(DayNumber day);
// "Mon 2 Nov 2026".
std::string long_date(DayNumber day);
// "Mon 2 Nov" in the year of `today`, else as long_date.
std::string short_date(DayNumber day, DayNumber today);

// "green" | "yellow" | "red"; "" for kNone.
const char* capacity_name(DayCapacity c);
// 'G' | 'Y' | 'R'; '.' for kNone.
char capacity_letter(DayCapacity c);

struct Calendar {
  DayNumber first = 0;  // a Monday
  int weeks = 0;        // whole weeks from `first`; the last one holds `today`
  DayNumber today = 0;
  bool with_partner = false;
  // One per day from `first` to `today`, both included.
  std::vector<DayCapacity> mine;
  std::vector<DayCapacity> partner;  // empty without the partner's row

  // Whether any day of either row has a check-in.
  bool empty() const;
};

// The calendar of `weeks` whole weeks (Monday to Sunday), the last holding
// the local date of `now`. Check-ins outside those days (before them, or
// after today on a clock that runs ahead) are left out. `with_partner`: the
// partner's row, from their (shared) check-ins.
Calendar build_calendar(const std::vector<CheckIn>& check_ins, int64_t now, int weeks,
                        bool with_partner);

// The whole weeks from the week holding `first_day` to the week holding
// `today` (1 when they share a week; 0 when first_day is after today).
int weeks_spanned(DayNumber first_day, DayNumber today);

// The calendar for the terminal: day names above, one row per person
// ("You" and `partner_label`), four weeks to a band, oldest first, today
// marked, then a legend. With `colour`, each letter also gets an ANSI
// background (the text reads the same without). partner_label must be
// terminal-safe.
std::string calendar_text(const Calendar& c, const std::string& partner_label, bool colour);

// The calendar as an object: {"from", "today", "weeks", "with_partner",
// "partner_name", "days": [{"date", "weekday", "me", "partner"}]}; a day
// without a check-in is null; "partner" only with the partner's row.
void write_calendar(JsonWriter& w, const Calendar& c, const std::string& partner_name);

}  // namespace hearth::client
