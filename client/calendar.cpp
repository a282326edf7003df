#include "client/calendar.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "client/render_text.h"
#include "client/text.h"
#include "util/utf8.h"

namespace hearth::client {
namespace {

constexpr const char* kWeekdays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// algorithms, exact for every date).
DayNumber days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_days(DayNumber z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

DayCapacity capacity_of(std::string_view name) {
  if (name == "green") return DayCapacity::kGreen;
  if (name == "yellow") return DayCapacity::kYellow;
  if (name == "red") return DayCapacity::kRed;
  return DayCapacity::kNone;
}

// Red is the lowest capacity; the enumeration runs from none to red.
DayCapacity lowest(DayCapacity a, DayCapacity b) { return std::max(a, b); }

// ---------------------------------------------------------------- text

constexpr int kWeeksPerBand = 4;
constexpr size_t kMaxLabel = 16;               // code points of a row's label
constexpr std::string_view kDot = "\xc2\xb7";  // U+00B7 MIDDLE DOT
constexpr std::string_view kDayLetters = "M T W T F S S";
constexpr size_t kWeekWidth = 15;  // kDayLetters and the two spaces after it

// The number of code points in valid UTF-8 (terminal_safe output).
size_t code_points(std::string_view s) { return utf8_code_points(s); }

// The first `max` code points of `s`.
std::string first_code_points(std::string_view s, size_t max) {
  size_t i = 0, n = 0;
  while (i < s.size() && n < max) {
    size_t len = utf8_sequence_length(s, i);
    i += len ? len : 1;
    ++n;
  }
  return std::string(s.substr(0, i));
}

std::string padded(std::string s, size_t width) {
  const size_t n = code_points(s);
  if (n < width) s.append(width - n, ' ');
  return s;
}

// One day's cell: its letter (a dot for none), with an ANSI background when
// `colour`.
std::string cell(DayCapacity c, bool colour) {
  if (!colour)
    return c == DayCapacity::kNone ? std::string(kDot) : std::string(1, capacity_letter(c));
  switch (c) {
    case DayCapacity::kGreen:
      return "\x1b[30;42mG\x1b[0m";
    case DayCapacity::kYellow:
      return "\x1b[30;43mY\x1b[0m";
    case DayCapacity::kRed:
      return "\x1b[97;41mR\x1b[0m";
    case DayCapacity::kNone:
      break;
  }
  return "\x1b[2m" + std::string(kDot) + "\x1b[0m";
}

// A person's row within weeks [from, to) of the band: cells up to today.
std::string row(const Calendar& c, const std::vector<DayCapacity>& days, int from, int to,
                bool colour) {
  std::string out;
  for (int week = from; week < to; ++week) {
    if (week > from) out += "  ";
    for (int d = 0; d < 7; ++d) {
      const DayNumber day = c.first + 7 * week + d;
      if (day > c.today) return out;
      if (d > 0) out += ' ';
      out += cell(days[static_cast<size_t>(day - c.first)], colour);
    }
  }
  return out;
}

}  // namespace

DayNumber local_day_number(int64_t ms) {
  int64_t seconds = ms / 1000;
  if (ms % 1000 < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  return days_from_civil(int64_t{tm.tm_year} + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string iso_date(DayNumber day) {
  const Civil c = civil_from_days(day);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

int weekday(DayNumber day) {
  // 1970-01-01 was a Thursday (3, counting from Monday).
  const int64_t w = (day + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

std::string weekday_name(DayNumber day) { return kWeekdays[weekday(day)]; }

std::string day_and_month(DayNumber day) {
  const Civil c = civil_from_days(day);
  return std::to_string(c.day) + " " + kMonths[c.month - 1];
}

std::string long_date(DayNumber day) {
  return weekday_name(day) + " " + day_and_month(day) + " " +
         std::to_string(civil_from_days(day).year);
}

std::string short_date(DayNumber day, DayNumber today) {
  if (civil_from_days(day).year != civil_from_days(today).year) return long_date(day);
  return weekday_name(day) + " " + day_and_month(day);
}

const char* capacity_name(DayCapacity c) {
  switch (c) {
    case DayCapacity::kGreen:
      return "green";
    case DayCapacity::kYellow:
      return "yellow";
    case DayCapacity::kRed:
      return "red";
    case DayCapacity::kNone:
      break;
  }
  return "";
}

char capacity_letter(DayCapacity c) {
  switch (c) {
    case DayCapacity::kGreen:
      return 'G';
    case DayCapacity::kYellow:
      return 'Y';
    case DayCapacity::kRed:
      return 'R';
    case DayCapacity::kNone:
      break;
  }
  return '.';
}

bool Calendar::empty() const {
  auto none = [](DayCapacity d) { return d == DayCapacity::kNone; };
  return std::all_of(mine.begin(), mine.end(), none) &&
         std::all_of(partner.begin(), partner.end(), none);
}

int weeks_spanned(DayNumber first_day, DayNumber today) {
  if (first_day > today) return 0;
  const DayNumber first_monday = first_day - weekday(first_day);
  const DayNumber last_monday = today - weekday(today);
  return static_cast<int>((last_monday - first_monday) / 7 + 1);
}

Calendar build_calendar(const std::vector<CheckIn>& check_ins, int64_t now, int weeks,
                        bool with_partner) {
  Calendar c;
  c.weeks = std::max(weeks, 1);
  c.today = local_day_number(now);
  c.first = c.today - weekday(c.today) - 7 * int64_t{c.weeks - 1};
  c.with_partner = with_partner;
  const size_t days = static_cast<size_t>(c.today - c.first + 1);
  c.mine.assign(days, DayCapacity::kNone);
  if (with_partner) c.partner.assign(days, DayCapacity::kNone);
  for (const CheckIn& check_in : check_ins) {
    if (!check_in.mine && !with_partner) continue;
    const DayCapacity capacity = capacity_of(check_in.capacity);
    const DayNumber day = local_day_number(check_in.at);
    if (capacity == DayCapacity::kNone || day < c.first || day > c.today) continue;
    auto& slot = (check_in.mine ? c.mine : c.partner)[static_cast<size_t>(day - c.first)];
    slot = lowest(slot, capacity);
  }
  return c;
}

std::string calendar_text(const Calendar& c, const std::string& partner_label, bool colour) {
  const std::string me = "You";
  const std::string partner = first_code_points(partner_label, kMaxLabel);
  const size_t width =
      std::max(code_points(me), c.with_partner ? code_points(partner) : size_t{0}) + 2;
  const std::string margin(width, ' ');

  std::string out = "Capacity by day, from " + short_date(c.first, c.today) + " to today.\n";
  for (int from = 0; from < c.weeks; from += kWeeksPerBand) {
    const int to = std::min(c.weeks, from + kWeeksPerBand);
    out += '\n';
    std::string labels = margin;
    std::string letters = margin;
    for (int week = from; week < to; ++week) {
      const std::string label = day_and_month(c.first + 7 * week);
      labels += week + 1 < to ? padded(label, kWeekWidth) : label;
      letters += std::string(kDayLetters) + (week + 1 < to ? "  " : "");
    }
    out += labels + "\n" + letters + "\n";
    out += padded(me, width) + row(c, c.mine, from, to, colour) + "\n";
    if (c.with_partner) out += padded(partner, width) + row(c, c.partner, from, to, colour) + "\n";
    const int64_t today_week = (c.today - c.first) / 7;
    if (today_week >= from && today_week < to) {
      out += margin +
             std::string(static_cast<size_t>(today_week - from) * kWeekWidth +
                             static_cast<size_t>(weekday(c.today)) * 2,
                         ' ') +
             "^ today\n";
    }
  }
  out += "\n" + cell(DayCapacity::kGreen, colour) + " green, " +
         cell(DayCapacity::kYellow, colour) + " yellow, " + cell(DayCapacity::kRed, colour) +
         " red, " + cell(DayCapacity::kNone, colour) + " no check-in.\n";
  out += "A day with more than one check-in shows the lowest of them.\n";
  if (c.with_partner) {
    out += capitalized(partner_label) + "'s row shows only the check-ins " + partner_label +
           " shared.\n";
  }
  if (c.empty()) out += "No check-ins in these weeks.\n";
  return out;
}

void write_calendar(JsonWriter& w, const Calendar& c, const std::string& partner_name) {
  w.begin_object();
  w.key("from").value(iso_date(c.first));
  w.key("today").value(iso_date(c.today));
  w.key("weeks").value(c.weeks);
  w.key("with_partner").value(c.with_partner);
  w.key("partner_name").string_or_null(c.with_partner ? partner_name : std::string());
  w.key("days").begin_array();
  for (size_t i = 0; i < c.mine.size(); ++i) {
    const DayNumber day = c.first + static_cast<DayNumber>(i);
    w.begin_object();
    w.key("date").value(iso_date(day));
    w.key("weekday").value(weekday_name(day));
    auto capacity = [&](DayCapacity d) {
      if (d == DayCapacity::kNone) {
        w.null();
      } else {
        w.value(capacity_name(d));
      }
    };
    w.key("me");
    capacity(c.mine[i]);
    if (c.with_partner) {
      w.key("partner");
      capacity(c.partner[i]);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace hearth::client
