#include "client/pacer.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ostream>
#include <string>
#include <thread>

#include "client/timefmt.h"

namespace hearth::client {
namespace {

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted = true; }

// Restores SIGINT's handler when the pacer ends.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = false;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_);
  }
  ~InterruptGuard() { ::sigaction(SIGINT, &old_, nullptr); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_ {};
};

void sleep_until_ms(int64_t target) {
  const int64_t now = now_ms();
  if (target > now) std::this_thread::sleep_for(std::chrono::milliseconds(target - now));
}

std::string bar(double fill) {
  constexpr int kWidth = 24;
  const int n = std::clamp(static_cast<int>(fill * kWidth + 0.5), 0, kWidth);
  return std::string(static_cast<size_t>(n), '#') + std::string(static_cast<size_t>(kWidth - n), '.');
}

}  // namespace

PacerEnd run_pacer(std::ostream& out, const PacerOptions& o, const std::function<bool()>& stopped) {
  InterruptGuard guard;
  const int64_t in_ms = int64_t{o.in_seconds} * 1000, out_ms = int64_t{o.out_seconds} * 1000;
  const int64_t end = o.start_ms + int64_t{o.minutes} * 60'000;
  constexpr int64_t kTick = 250;
  // Until the start: a calm countdown, and still listening for a stop.
  while (now_ms() < o.start_ms) {
    if (g_interrupted) return PacerEnd::kInterrupted;
    if (stopped()) return PacerEnd::kStopped;
    if (o.animate) {
      const int64_t left = (o.start_ms - now_ms() + 999) / 1000;
      out << "\r  Beginning in " << left << "…   " << std::flush;
    }
    sleep_until_ms(std::min(o.start_ms, now_ms() + kTick));
  }
  int64_t phase_start = o.start_ms;
  bool breathing_in = true;
  int64_t next_check = now_ms() + kTick;
  for (;;) {
    const int64_t at = now_ms();
    if (o.json) {
      out << "{\"phase\":\"" << (breathing_in ? "in" : "out") << "\",\"at\":" << at
          << ",\"planned\":" << phase_start << "}\n"
          << std::flush;
    } else if (!o.animate) {
      out << (breathing_in ? "Breathe in\n" : "Breathe out\n") << std::flush;
    }
    const int64_t phase_end = phase_start + (breathing_in ? in_ms : out_ms);
    while (now_ms() < std::min(phase_end, end)) {
      if (g_interrupted) return PacerEnd::kInterrupted;
      if (now_ms() >= next_check) {
        if (stopped()) return PacerEnd::kStopped;
        next_check = now_ms() + kTick;
      }
      if (o.animate) {
        const double t = static_cast<double>(now_ms() - phase_start) /
                         static_cast<double>(breathing_in ? in_ms : out_ms);
        out << "\r  " << (breathing_in ? "breathe in  " : "breathe out ") << ' '
            << bar(breathing_in ? t : 1.0 - t) << "   " << std::flush;
      }
      sleep_until_ms(std::min({phase_end, end, now_ms() + (o.animate ? 100 : kTick)}));
    }
    if (phase_end >= end) break;
    phase_start = phase_end;
    breathing_in = !breathing_in;
  }
  if (o.animate) out << "\r" << std::string(44, ' ') << "\r" << std::flush;
  return PacerEnd::kDone;
}

}  // namespace hearth::client
