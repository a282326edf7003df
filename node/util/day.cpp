#include "util/day.h"

#include <ctime>

namespace hearth {
namespace {

std::string day(const std::tm& tm) {
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::string local_day(int64_t ms) {
  const auto t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return day(tm);
}

std::string utc_day(int64_t ms) {
  const auto t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return day(tm);
}

}  // namespace hearth
