#include "model/quiet_hours.h"

#include <cctype>
#include <cstdio>
#include <ctime>


namespace hearth::model {
namespace {

// "HH:MM" or "H:MM" as minutes after midnight.
std::optional<int> clock_minutes(std::string_view t) {
  const size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() != colon + 3)
    return std::nullopt;
  auto number = [](std::string_view digits) -> std::optional<int> {
    int n = 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  const std::optional<int> h = number(t.substr(0, colon));
  const std::optional<int> m = number(t.substr(colon + 1));
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return *h * 60 + *m;
}

std::string_view trim(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return t;
}

}  // namespace

bool QuietHours::contains(int minute_of_day) const {
  if (start < end) return minute_of_day >= start && minute_of_day < end;
  return minute_of_day >= start || minute_of_day < end;
}

std::string QuietHours::text() const {
  char out[48];  // room for any int, as -Wformat-truncation counts
  std::snprintf(out, sizeof out, "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60);
  return out;
}

Result<std::optional<QuietHours>> parse_quiet_hours(std::string_view text) {
  text = trim(text);
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "off") return std::optional<QuietHours>();
  const size_t dash = text.find('-');
  std::optional<int> from, to;
  if (dash != std::string_view::npos) {
    from = clock_minutes(trim(text.substr(0, dash)));
    to = clock_minutes(trim(text.substr(dash + 1)));
  }
  if (!from || !to)
    return Status::invalid("`quiet-hours` takes a span of the day such as 22:00-08:00, or off");
  if (*from == *to)
    return Status::invalid(
        "quiet hours need two different times, such as 22:00-08:00; `off` turns them off");
  return std::optional<QuietHours>(QuietHours{*from, *to});
}

int local_minute_of_day(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm local{};
  if (::localtime_r(&t, &local) == nullptr) return 0;
  return local.tm_hour * 60 + local.tm_min;
}

}  // namespace hearth::model
