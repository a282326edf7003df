#include "client/timefmt.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

using namespace hearth::client;

namespace {

// Runs the test body in UTC and puts the previous TZ back.
class UtcZone {
 public:
  UtcZone() {
    if (const char* tz = std::getenv("TZ")) saved_ = tz, had_ = true;
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  ~UtcZone() {
    if (had_) {
      ::setenv("TZ", saved_.c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::string saved_;
  bool had_ = false;
};

constexpr int64_t kNov24 = 1795537920123;  // 2026-11-24T16:32:00.123Z, a Tuesday

}  // namespace

TEST_CASE("rfc3339_utc writes UTC with milliseconds") {
  CHECK(rfc3339_utc(kNov24) == "2026-11-24T16:32:00.123Z");
  CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(rfc3339_utc(1) == "1970-01-01T00:00:00.001Z");
  CHECK(rfc3339_utc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(rfc3339_utc(951782400000) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("human times say today, the weekday, or the year") {
  UtcZone utc;
  CHECK(human_time(kNov24, kNov24 + 3'600'000) == "today 16:32");
  CHECK(human_time(1772438400000, kNov24) == "Mon 02 Mar 08:00");
  CHECK(human_time(1767225540000, kNov24) == "31 Dec 2025 23:59");
  CHECK(human_clock(kNov24 + 30 * 60'000, kNov24) == "17:02");
  CHECK(human_clock(kNov24 + 24 * 3'600'000, kNov24) == "Wed 25 Nov 16:32");
  CHECK(local_timestamp(kNov24) == "2026-11-24 16:32:00");
}

TEST_CASE("human_minutes writes hours and minutes in words") {
  CHECK(human_minutes(20) == "20 minutes");
  CHECK(human_minutes(60) == "1 hour");
  CHECK(human_minutes(90) == "1 hour 30 minutes");
  CHECK(human_minutes(121) == "2 hours 1 minute");
  CHECK(human_minutes(1440) == "24 hours");
}
