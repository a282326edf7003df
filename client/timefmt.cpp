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

enum class Pattern { kToday, kThisYear, kFull, kClock, kTimestamp };

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
