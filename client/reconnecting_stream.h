// Following hearthd's `watch` stream across restarts and locks, for `hearth
// watch` and `hearth notify`.
//
// follow_updates() opens `watch`, hands each Update on, and when the stream
// ends because hearthd stopped, restarted or is locked, waits calmly (1 s,
// then doubling to 30 s) and opens it again, saying so through its hooks.
// It stops when a hook says so: on SIGINT or SIGTERM (catch_stop_signals)
// or when the caller has had enough.
#pragma once

#include <functional>

#include "client/control_client.h"
#include "client/reply.h"
#include "util/status.h"

namespace hearth::client {

// 1 s, 2 s, 4 s ... at most 30 s between attempts; back to 1 s once a
// stream is open again.
class CalmBackoff {
 public:
  static constexpr int kFirstMs = 1'000;
  static constexpr int kMaxMs = 30'000;
  int next_ms();
  void reset() { next_ = kFirstMs; }

 private:
  int next_ = kFirstMs;
};

// Why the stream is not open.
enum class Gone {
  kNotRunning,  // hearthd stopped or has not started
  kLocked,      // hearthd runs but is locked
};

// How a long-running command waits, and learns it should stop. Tests pass
// their own; real_pacing() sleeps on the clock and stops on a signal.
struct Pacing {
  int idle_ms = 250;                  // on_idle at least this often
  std::function<bool()> stop;         // true: stop now
  std::function<void(int ms)> sleep;  // wait this long (a signal may cut it short)
  std::function<int64_t()> now_ms;    // the wall clock
};

// Sleeps in real time; stop() is true once SIGINT or SIGTERM arrived after
// catch_stop_signals().
Pacing real_pacing();

// Makes SIGINT and SIGTERM set the flag real_pacing().stop() reads, instead
// of ending the process, so a command can end cleanly. For `watch` and
// `notify` only.
void catch_stop_signals();

struct FollowRules {
  // false (`watch`): if the very first attempt finds hearthd not running or
  // locked, that is the result, as for any command. true (`notify`, a
  // service that may start before hearthd): wait for it.
  bool wait_at_start = false;
  // true (`watch`): the person locked hearthd while it was watching, which
  // ends the stream with kLocked. false (`notify`): wait for the unlock.
  // A daemon found locked when reconnecting (it restarted with a
  // passphrase) is waited for either way.
  bool end_on_lock = false;
};

struct FollowHooks {
  // Each Update, in order. false: stop (follow_updates returns ok).
  std::function<bool(const Update&)> update;
  // Called at least every pacing.idle_ms while nothing arrives, connected or
  // waiting to reconnect. May be empty.
  std::function<void()> idle;
  // The stream is not open and will be tried again: once per outage, and
  // again when the reason changes. `ever_open`: whether any stream was open
  // before. May be empty.
  std::function<void(Gone why, bool ever_open)> gone;
  // A stream is open again after gone(). May be empty.
  std::function<void()> back;
};

// Follows `watch` until a hook or pacing.stop() says to stop (ok), or a
// failure that waiting would not mend (an error from hearthd other than
// "locked", a reply that is not an update).
Status follow_updates(Daemon& daemon, const FollowRules& rules, const FollowHooks& hooks,
                      const Pacing& pacing);

}  // namespace hearth::client
