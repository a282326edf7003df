#include "net/backoff.h"

#include <sodium.h>

#include <algorithm>

namespace hearth::net {

std::chrono::milliseconds Backoff::base_delay(int failures) {
  if (failures <= 1) return kFirst;
  const int doublings = std::min(failures - 1, 16);  // 2^16 s is far past the cap
  return std::min(kMax, kFirst * (int64_t{1} << doublings));
}

std::chrono::milliseconds Backoff::fail() {
  ++failures_;
  const int64_t base = base_delay(failures_).count();
  // Uniform in [0.75, 1.25] x base.
  const int64_t spread = base / 2;
  const int64_t jitter =
      static_cast<int64_t>(randombytes_uniform(static_cast<uint32_t>(spread) + 1));
  return std::chrono::milliseconds(base - base / 4 + jitter);
}

}  // namespace hearth::net
