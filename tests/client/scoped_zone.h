// Runs a test in a time zone, so that local days and times are the same on
// every machine; the zone before is put back afterwards.
#pragma once

#include <ctime>

#include "client_fixtures.h"

namespace hearth::client::test {

class ScopedZone {
 public:
  explicit ScopedZone(const char* name = "UTC") : tz_("TZ", name) { ::tzset(); }

 private:
  struct Retzset {
    ~Retzset() { ::tzset(); }
  };
  Retzset retzset_;  // destroyed after tz_: reads TZ again once it is put back
  ScopedEnv tz_;
};

}  // namespace hearth::client::test
