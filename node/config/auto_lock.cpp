#include "config/auto_lock.h"

#include <cctype>

namespace hearth::config {
namespace {

Status auto_lock_error() {
  return Status::invalid(
      "auto-lock takes a time from 1 minute to 24 hours, such as 15m, 1h or 1h30m, or `off`");
}

}  // namespace

Result<std::optional<std::chrono::minutes>> parse_auto_lock(std::string_view text) {
  std::string t;
  for (char c : text) {
    if (c == ' ') continue;
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (t == "off") return std::optional<std::chrono::minutes>();
  if (t.empty()) return auto_lock_error();
  long total = 0;
  bool seen_hours = false;
  bool seen_minutes = false;
  size_t i = 0;
  while (i < t.size()) {
    long n = 0;
    size_t digits = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
      if (++digits > 4) return auto_lock_error();
      n = n * 10 + (t[i++] - '0');
    }
    if (digits == 0 || i == t.size()) return auto_lock_error();
    const char unit = t[i++];
    if (unit == 'h' && !seen_hours && !seen_minutes) {
      seen_hours = true;
      total += n * 60;
    } else if (unit == 'm' && !seen_minutes) {
      seen_minutes = true;
      total += n;
    } else {
      return auto_lock_error();
    }
  }
  const std::chrono::minutes limit{total};
  if (limit < kMinAutoLock || limit > kMaxAutoLock) return auto_lock_error();
  return std::optional<std::chrono::minutes>(limit);
}

std::string format_auto_lock(std::optional<std::chrono::minutes> limit) {
  if (!limit) return "off";
  const long hours = limit->count() / 60;
  const long minutes = limit->count() % 60;
  std::string out;
  if (hours) out += std::to_string(hours) + "h";
  if (minutes || !hours) out += std::to_string(minutes) + "m";
  return out;
}

}  // namespace hearth::config
