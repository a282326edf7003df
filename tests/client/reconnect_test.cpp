// Following `watch` across restarts and locks (client/reconnecting_stream.h),
// and the two commands built on it: `hearth watch` and `hearth notify`.
#include <doctest/doctest.h>

#include <deque>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands.h"
#include "client/notifier.h"
#include "client/reconnecting_stream.h"
#include "client_fixtures.h"

namespace hearth::client {
namespace {

using test::kNow;

// One connection to the fake daemon: what it answers, then how it ends.
struct Session {
  std::vector<Reply> replies;
  Status end = Status::unavailable("hearthd closed the connection; it may have stopped");
};

// A daemon that answers each `watch` with the next scripted Session, and
// `overview` and `config get` from fields. After the last session, every
// attempt finds it not running.
class ScriptedDaemon final : public Daemon {
 public:
  std::deque<Session> sessions;
  int streams_opened = 0;
  int idle_calls_per_session = 1;
  Overview overview;
  std::string quiet_hours = "off";
  std::string notify_entries = "off";

  Result<Reply> call(ByteView request, Wait) override {
    if (test::is_overview(request)) return Reply{overview};
    auto reader = test::parse_request(Bytes(request.begin(), request.end()));
    auto req = reader.root<hearth::control::Request>();
    if (req.which() == hearth::control::Request::CONFIG_GET) {
      const std::string key = req.getConfigGet().getKey();
      return Reply{ConfigEntry{key, key == "quiet-hours" ? quiet_hours : notify_entries}};
    }
    return Status::internal("the scripted daemon answers overview and config get only");
  }

  Status stream(ByteView request, const std::function<bool(Reply&&)>& on_reply) override {
    return stream_with_idle(request, 0, on_reply, {});
  }

  Status stream_with_idle(ByteView, int, const std::function<bool(Reply&&)>& on_reply,
                          const std::function<bool()>& on_idle) override {
    ++streams_opened;
    if (sessions.empty()) return Status::unavailable("hearthd is not running");
    Session s = std::move(sessions.front());
    sessions.pop_front();
    for (Reply& r : s.replies) {
      if (!on_reply(std::move(r))) return Status::ok();
    }
    for (int i = 0; i < idle_calls_per_session && on_idle; ++i)
      if (!on_idle()) return Status::ok();
    return s.end;
  }
};

// Sleeps without sleeping, on a clock of its own; stops once asked to or
// after `max_sleeps`.
struct FakePacing {
  std::vector<int> sleeps;
  int64_t clock = kNow;
  size_t max_sleeps = 50;
  bool stop_now = false;

  Pacing pacing() {
    Pacing p;
    p.idle_ms = 250;
    p.stop = [this] { return stop_now || sleeps.size() >= max_sleeps; };
    p.sleep = [this](int ms) {
      sleeps.push_back(ms);
      clock += ms;
    };
    p.now_ms = [this] { return clock; };
    return p;
  }
};

Update pause_update(bool active, int64_t until = 0) {
  Update u;
  u.kind = Update::Kind::kPause;
  u.pause.active = active;
  u.pause.started_at = active ? kNow : 0;
  u.pause.until = until;
  u.pause.minutes = 30;
  u.pause.note = "a private note";
  return u;
}

Update connection_update(const char* state) {
  Update u;
  u.kind = Update::Kind::kConnection;
  u.connection = state;
  return u;
}

struct Recorder {
  std::vector<std::string> events;
  FollowHooks hooks(size_t stop_after_updates = 1000) {
    FollowHooks h;
    h.update = [this, stop_after_updates](const Update& u) {
      events.push_back(u.kind == Update::Kind::kPause ? "pause" : "update");
      size_t n = 0;
      for (const auto& e : events) n += e == "pause" || e == "update";
      return n < stop_after_updates;
    };
    h.gone = [this](Gone why, bool ever_open) {
      events.push_back(std::string(why == Gone::kLocked ? "gone:locked" : "gone:stopped") +
                       (ever_open ? "" : ":never"));
    };
    h.back = [this] { events.push_back("back"); };
    return h;
  }
};

class RecordingNotifier final : public Notifier {
 public:
  std::vector<Notice> posted;
  Status post(const Notice& n) override {
    posted.push_back(n);
    return Status::ok();
  }
};

}  // namespace
}  // namespace hearth::client

// Vectors in failure messages.
namespace doctest {
template <typename T>
struct StringMaker<std::vector<T>> {
  static String convert(const std::vector<T>& v) {
    std::ostringstream out;
    out << "{";
    for (size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
    out << "}";
    return out.str().c_str();
  }
};
}  // namespace doctest

namespace hearth::client {

TEST_CASE("reconnecting stream: the backoff starts at 1 s, doubles to 30 s, and starts over") {
  CalmBackoff b;
  std::vector<int> waits;
  for (int i = 0; i < 8; ++i) waits.push_back(b.next_ms());
  CHECK(waits == std::vector<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000});
  b.reset();
  CHECK(b.next_ms() == 1000);
}

TEST_CASE("reconnecting stream: follows again after hearthd restarts, calmly") {
  ScriptedDaemon d;
  d.sessions.push_back({{pause_update(false), connection_update("connected")}});
  d.sessions.push_back({{}, Status::unavailable("hearthd is not running")});
  d.sessions.push_back({{}, Status::unavailable("hearthd is not running")});
  d.sessions.push_back({{pause_update(false), connection_update("connected")}});
  FakePacing pace;
  Recorder rec;
  Status st = follow_updates(d, FollowRules{}, rec.hooks(4), pace.pacing());
  CHECK(st.is_ok());
  CHECK(rec.events ==
        std::vector<std::string>{"pause", "update", "gone:stopped", "back", "pause", "update"});
  // 1 s after the first loss, 2 s, 4 s: each attempt that failed waits longer.
  CHECK(pace.sleeps == std::vector<int>{1000, 2000, 4000});
  CHECK(d.streams_opened == 4);
}

TEST_CASE("reconnecting stream: the backoff starts over once a stream is open again") {
  ScriptedDaemon d;
  d.sessions.push_back({{pause_update(false)}});
  d.sessions.push_back({{}, Status::unavailable("not running")});
  d.sessions.push_back({{pause_update(false)}});
  d.sessions.push_back({{pause_update(false)}});
  FakePacing pace;
  Recorder rec;
  CHECK(follow_updates(d, FollowRules{}, rec.hooks(3), pace.pacing()).is_ok());
  CHECK(pace.sleeps == std::vector<int>{1000, 2000, 1000});
}

TEST_CASE("reconnecting stream: watch fails at once when hearthd is not there at the start") {
  ScriptedDaemon d;
  FakePacing pace;
  Recorder rec;
  Status st = follow_updates(d, FollowRules{}, rec.hooks(), pace.pacing());
  CHECK(st.code() == Code::kUnavailable);
  CHECK(pace.sleeps.empty());

  ScriptedDaemon locked;
  locked.sessions.push_back({{DaemonError{DaemonErrorCode::kLocked, "hearthd is locked"}}});
  st = follow_updates(locked, FollowRules{}, rec.hooks(), pace.pacing());
  CHECK(st.code() == Code::kLocked);
  CHECK(st.message() == "hearthd is locked");
}

TEST_CASE("reconnecting stream: notify waits for hearthd to start and to be unlocked") {
  ScriptedDaemon d;
  d.sessions.push_back({{}, Status::unavailable("not running")});
  d.sessions.push_back({{DaemonError{DaemonErrorCode::kLocked, "locked"}}});
  d.sessions.push_back({{pause_update(false)}});
  FakePacing pace;
  Recorder rec;
  FollowRules rules;
  rules.wait_at_start = true;
  CHECK(follow_updates(d, rules, rec.hooks(1), pace.pacing()).is_ok());
  CHECK(rec.events ==
        std::vector<std::string>{"gone:stopped:never", "gone:locked:never", "back", "pause"});
}

TEST_CASE(
    "reconnecting stream: a lock while watching ends watch, but notify waits for the unlock") {
  auto script = [](ScriptedDaemon& d) {
    d.sessions.push_back(
        {{pause_update(false), DaemonError{DaemonErrorCode::kLocked, "hearthd was locked"}}});
    d.sessions.push_back({{DaemonError{DaemonErrorCode::kLocked, "locked"}}});
    d.sessions.push_back({{pause_update(false)}});
  };
  ScriptedDaemon watch;
  script(watch);
  FakePacing pace;
  Recorder rec;
  FollowRules watch_rules;
  watch_rules.end_on_lock = true;
  Status st = follow_updates(watch, watch_rules, rec.hooks(), pace.pacing());
  CHECK(st.code() == Code::kLocked);
  CHECK(st.message() == "hearthd was locked");
  CHECK(rec.events == std::vector<std::string>{"pause"});

  ScriptedDaemon notify;
  script(notify);
  Recorder rec2;
  FollowRules notify_rules;
  notify_rules.wait_at_start = true;
  CHECK(follow_updates(notify, notify_rules, rec2.hooks(2), pace.pacing()).is_ok());
  CHECK(rec2.events == std::vector<std::string>{"pause", "gone:locked", "back", "pause"});
}

TEST_CASE("reconnecting stream: a daemon that restarted locked is waited for, even by watch") {
  ScriptedDaemon d;
  d.sessions.push_back({{pause_update(false)}});
  d.sessions.push_back({{DaemonError{DaemonErrorCode::kLocked, "locked"}}});
  d.sessions.push_back({{pause_update(false)}});
  FakePacing pace;
  Recorder rec;
  FollowRules rules;
  rules.end_on_lock = true;
  CHECK(follow_updates(d, rules, rec.hooks(2), pace.pacing()).is_ok());
  CHECK(rec.events ==
        std::vector<std::string>{"pause", "gone:stopped", "gone:locked", "back", "pause"});
}

TEST_CASE("reconnecting stream: other errors and replies that are not updates end it") {
  ScriptedDaemon d;
  d.sessions.push_back({{pause_update(false), DaemonError{DaemonErrorCode::kInternal, "broken"}}});
  FakePacing pace;
  Recorder rec;
  FollowRules rules;
  rules.wait_at_start = true;
  CHECK(follow_updates(d, rules, rec.hooks(), pace.pacing()).code() == Code::kInternal);

  ScriptedDaemon odd;
  odd.sessions.push_back({{Ok{}}});
  CHECK(follow_updates(odd, rules, rec.hooks(), pace.pacing()).code() == Code::kCorrupt);
}

TEST_CASE("reconnecting stream: a stop request ends it while connected and while waiting") {
  ScriptedDaemon d;
  d.sessions.push_back({{pause_update(false)}});
  FakePacing pace;
  Recorder rec;
  FollowHooks hooks = rec.hooks();
  hooks.idle = [&] { pace.stop_now = true; };
  CHECK(follow_updates(d, FollowRules{}, hooks, pace.pacing()).is_ok());
  CHECK(d.streams_opened == 1);

  ScriptedDaemon gone;
  FakePacing pace2;
  pace2.max_sleeps = 3;
  FollowRules rules;
  rules.wait_at_start = true;
  CHECK(follow_updates(gone, rules, rec.hooks(), pace2.pacing()).is_ok());
  CHECK(gone.streams_opened == 3);
}

TEST_CASE("watch says calmly that hearthd went and came back, and goes on") {
  test::Harness h;
  ScriptedDaemon d;
  d.overview.paired = true;
  d.overview.partner_name = "Alex";
  d.sessions.push_back({{pause_update(false)}});
  d.sessions.push_back({{}, Status::unavailable("not running")});
  d.sessions.push_back({{pause_update(true, kNow + 30 * 60'000)}});
  Context ctx{h.ctx.global, h.ctx.paths, d, h.out, h.err, Terminal{}, kNow};
  FakePacing pace;
  pace.max_sleeps = 3;
  CHECK(run_watch(ctx, pace.pacing()) == kExitOk);
  const std::string err = h.err.str();
  CHECK(err.find("hearthd stopped; watching again when it is back.") != std::string::npos);
  CHECK(err.find("hearthd is back; watching again.") != std::string::npos);
  CHECK(h.out.str().find("Alex is pausing until") != std::string::npos);
}

TEST_CASE("notify posts the partner's pause and its end, and again after hearthd restarts") {
  test::Harness h;
  ScriptedDaemon d;
  d.overview.paired = true;
  d.overview.partner_name = "Alex";
  d.sessions.push_back({{pause_update(false), pause_update(true, kNow + 30 * 60'000)}});
  Update resume;
  resume.kind = Update::Kind::kResume;
  d.sessions.push_back({{pause_update(true, kNow + 30 * 60'000), resume}});
  d.sessions.push_back({{}, Status::unavailable("not running")});
  Update again = pause_update(true, kNow + 60 * 60'000);
  again.pause.started_at = kNow + 1;
  d.sessions.push_back({{pause_update(false), again}});
  Context ctx{h.ctx.global, h.ctx.paths, d, h.out, h.err, Terminal{}, kNow};
  FakePacing pace;
  pace.max_sleeps = 4;
  RecordingNotifier notifier;
  CHECK(run_notify(ctx, notifier, pace.pacing()) == kExitOk);
  std::vector<std::string> kinds;
  for (const Notice& n : notifier.posted) {
    kinds.push_back(notice_kind_name(n.kind));
    CHECK(n.summary.find("Alex") != std::string::npos);
    CHECK(n.body.find("private note") == std::string::npos);
  }
  CHECK(kinds == std::vector<std::string>{"partner-pause", "partner-pause-ended", "partner-pause"});
  const std::string err = h.err.str();
  CHECK(err.find("hearthd is back") != std::string::npos);
  CHECK(err.find("Alex") == std::string::npos);  // the log names kinds, not people
}

}  // namespace hearth::client
