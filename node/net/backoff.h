// When to dial the partner again after failures: 1 s, 2 s, 4 s … capped at
// 60 s, each with ±25% random jitter so two devices that failed together do
// not retry in lockstep.
#pragma once

#include <chrono>

namespace hearth::net {

class Backoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{1'000};
  static constexpr std::chrono::milliseconds kMax{60'000};

  // One more failure; returns how long to wait before the next attempt.
  std::chrono::milliseconds fail();
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

  // The delay after `failures` failures (>= 1), before jitter.
  static std::chrono::milliseconds base_delay(int failures);

 private:
  int failures_ = 0;
};

}  // namespace hearth::net
