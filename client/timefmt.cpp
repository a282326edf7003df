#include "client/timefmt.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace hearth::client {
namespace {

// Splits ms into whole seconds (rounded down, also before 1970) and the rest.
void split(int64_t ms, std::time_t& seconds, int& millis) {
  int64_t s = ms / 1000;
  int64_t r = ms % 1000;
  if (r < 0) {
    r += 1000;
    s -= 1;
  }
  seconds = static_cast<std::time_t>(s);
  millis = static_cast<int>(r);
}

std::tm local(int64_t ms) {
  std::time_t seconds;
  int millis;
  split(ms, seconds, millis);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return tm;
}

enum class Pattern { kToday, kThisYear, kFull, kClock, kTimestamp, kDayThisYear, kDayFull };

// strftime with literal formats only (-Wformat-nonliteral); the C locale
// gives English day and month names.
std::string format(const std::tm& tm, Pattern pattern) {
  char buf[64];
  size_t n = 0;
  switch (pattern) {
    case Pattern::kToday:
      n = std::strftime(buf, sizeof(buf), "today %H:%M", &tm);
      break;
    case Pattern::kThisYear:
      n = std::strftime(buf, sizeof(buf), "%a %d %b %H:%M", &tm);
      break;
    case Pattern::kFull:
      n = std::strftime(buf, sizeof(buf), "%d %b %Y %H:%M", &tm);
      break;
    case Pattern::kClock:
      n = std::strftime(buf, sizeof(buf), "%H:%M", &tm);
      break;
    case Pattern::kTimestamp:
      n = std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
      break;
    case Pattern::kDayThisYear:
      n = std::strftime(buf, sizeof(buf), "%a %d %b", &tm);
      break;
    case Pattern::kDayFull:
      n = std::strftime(buf, sizeof(buf), "%d %b %Y", &tm);
      break;
  }
  return std::string(buf, n);
}

bool same_day(const std::tm& a, const std::tm& b) {
  return a.tm_year == b.tm_year && a.tm_yday == b.tm_yday;
}

}  // namespace

std::string rfc3339_utc(int64_t ms) {
  std::time_t seconds;
  int millis;
  split(ms, seconds, millis);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string human_time(int64_t ms, int64_t now) {
  const std::tm t = local(ms);
  const std::tm n = local(now);
  if (same_day(t, n)) return format(t, Pattern::kToday);
  if (t.tm_year == n.tm_year) return format(t, Pattern::kThisYear);
  return format(t, Pattern::kFull);
}

std::string human_clock(int64_t ms, int64_t now) {
  const std::tm t = local(ms);
  if (same_day(t, local(now))) return format(t, Pattern::kClock);
  return human_time(ms, now);
}

std::string human_day(int64_t ms, int64_t now) {
  const std::tm t = local(ms);
  return format(t, t.tm_year == local(now).tm_year ? Pattern::kDayThisYear : Pattern::kDayFull);
}

std::string human_age(int64_t ms, int64_t now) {
  // Noon of each local day, so a change of summer time does not move a day.
  auto noon = [](int64_t at) {
    std::tm tm = local(at);
    tm.tm_hour = 12;
    tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm));
  };
  const int64_t days = (noon(now) - noon(ms) + 43'200) / 86'400;
  if (days == 0) return "today";
  if (days == 1) return "yesterday";
  if (days > 1 && days < 14) return std::to_string(days) + " days ago";
  return "on " + human_day(ms, now);
}

namespace {

// Digits only, exactly `width` of them.
std::optional<int> number(std::string_view text, size_t width) {
  if (text.size() != width) return std::nullopt;
  int out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    out = out * 10 + (c - '0');
  }
  return out;
}

}  // namespace

std::optional<int64_t> local_day_start(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = number(text.substr(0, 4), 4), m = number(text.substr(5, 2), 2),
       d = number(text.substr(8, 2), 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31 || *y < 1970) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *m - 1;
  tm.tm_mday = *d;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  // mktime moves 31 April to 1 May: such a day does not exist.
  if (t == static_cast<std::time_t>(-1) || tm.tm_mday != *d || tm.tm_mon != *m - 1)
    return std::nullopt;
  return int64_t{t} * 1000;
}

std::optional<int64_t> next_local_clock(std::string_view typed, int64_t now) {
  std::string text(typed);
  if (text.size() == 4 && text[1] == ':') text = std::string("0").append(typed);  // "9:30"
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto h = number(std::string_view(text).substr(0, 2), 2),
       m = number(std::string_view(text).substr(3, 2), 2);
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  for (int day = 0; day < 2; ++day) {
    std::tm tm = local(now);
    tm.tm_mday += day;
    tm.tm_hour = *h;
    tm.tm_min = *m;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1)) return std::nullopt;
    if (int64_t{t} * 1000 > now) return int64_t{t} * 1000;
  }
  return std::nullopt;
}

std::string local_timestamp(int64_t ms) { return format(local(ms), Pattern::kTimestamp); }

std::string human_minutes(unsigned minutes) {
  const unsigned h = minutes / 60;
  const unsigned m = minutes % 60;
  std::string out;
  if (h) out = std::to_string(h) + (h == 1 ? " hour" : " hours");
  if (m || !h) {
    if (!out.empty()) out += ' ';
    out += std::to_string(m) + (m == 1 ? " minute" : " minutes");
  }
  return out;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace hearth::client
