#include "client/reconnecting_stream.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

#include "client/command_util.h"
#include "client/control_codec.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

volatile std::sig_atomic_t g_stop_requested = 0;

extern "C" void on_stop_signal(int) { g_stop_requested = 1; }

// How one attempt at the stream ended.
struct Attempt {
  bool opened = false;   // at least one Update arrived
  bool stopped = false;  // a hook or pacing.stop() asked to stop
  bool locked = false;   // hearthd answered "locked"
  Status locked_status;  // ... in these words
  Status failure;        // what waiting would not mend
};

}  // namespace

int CalmBackoff::next_ms() {
  const int now = next_;
  next_ = std::min(next_ * 2, kMaxMs);
  return now;
}

void catch_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a waiting poll() returns at once
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

Pacing real_pacing() {
  Pacing p;
  p.stop = [] { return g_stop_requested != 0; };
  p.sleep = [](int ms) {
    // In slices, so that a signal ends the wait soon.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (g_stop_requested == 0) {
      const auto left = until - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return;
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(100)));
    }
  };
  p.now_ms = [] { return now_ms(); };
  return p;
}

Status follow_updates(Daemon& daemon, const FollowRules& rules, const FollowHooks& hooks,
                      const Pacing& pacing) {
  CalmBackoff backoff;
  bool ever_open = false;
  bool gone_said = false;
  Gone last_gone = Gone::kNotRunning;

  auto idle = [&]() -> bool {
    if (hooks.idle) hooks.idle();
    return !pacing.stop();
  };

  for (;;) {
    if (pacing.stop()) return Status::ok();
    Attempt a;
    Status streamed = daemon.stream_with_idle(
        request::watch(), pacing.idle_ms,
        [&](Reply&& reply) {
          if (const auto* error = std::get_if<DaemonError>(&reply)) {
            if (error->code == DaemonErrorCode::kLocked) {
              a.locked = true;
              a.locked_status = status_of(*error);
            } else {
              a.failure = status_of(*error);
            }
            return false;
          }
          const auto* update = std::get_if<Update>(&reply);
          if (!update) {
            a.failure =
                Status::corrupt("hearthd sent something other than an update while watching");
            return false;
          }
          if (!a.opened) {
            a.opened = true;
            backoff.reset();
            if (gone_said && hooks.back) hooks.back();
            gone_said = false;
          }
          ever_open = true;
          if (!hooks.update(*update) || pacing.stop()) {
            a.stopped = true;
            return false;
          }
          return true;
        },
        [&] {
          if (idle()) return true;
          a.stopped = true;
          return false;
        });
    if (a.stopped) return Status::ok();
    if (!a.failure.is_ok()) return a.failure;
    if (!a.locked && streamed.is_ok()) return Status::ok();  // the stream ended as asked
    if (!a.locked && streamed.code() != Code::kUnavailable) return streamed;

    // Not there, or locked: a matter of waiting, except where the rules say.
    const bool first_attempt = !ever_open && !gone_said;
    if (first_attempt && !rules.wait_at_start) return a.locked ? a.locked_status : streamed;
    if (a.locked && a.opened && rules.end_on_lock) return a.locked_status;

    const Gone why = a.locked ? Gone::kLocked : Gone::kNotRunning;
    if (!gone_said || why != last_gone) {
      if (hooks.gone) hooks.gone(why, ever_open);
      gone_said = true;
      last_gone = why;
    }
    if (!idle()) return Status::ok();
    pacing.sleep(backoff.next_ms());
  }
}

}  // namespace hearth::client
