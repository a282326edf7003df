// notify: desktop notifications from hearthd's changes (docs/DESIGN.md §10.3).
//
// Follows `watch` (client/reconnecting_stream.h), asks for the overview and
// the two settings before each update and every kRefreshMs, lets
// NotifyPolicy decide, and posts through a Notifier. What it writes to
// stderr (the journal, under systemd) names kinds of notices, never people
// or words.
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "client/command_util.h"
#include "client/commands.h"
#include "client/notifier.h"
#include "client/notify_policy.h"
#include "client/reconnecting_stream.h"

namespace hearth::client {
namespace {

// How often the overview and settings are asked for while nothing arrives:
// a pause of mine begun meanwhile, quiet hours changed.
constexpr int64_t kRefreshMs = 15'000;

class NotifyRun {
 public:
  NotifyRun(Context& ctx, Notifier& notifier, const Pacing& pacing)
      : ctx_(ctx), notifier_(notifier), pacing_(pacing) {}

  Moment now() const {
    const int64_t ms = pacing_.now_ms();
    return Moment{ms, model::local_minute_of_day(ms)};
  }

  // The settings and the overview, as hearthd has them now. What cannot be
  // had (hearthd just stopped) stays as it was.
  void refresh(const Moment& at) {
    last_refresh_ = at.ms;
    NotifySettings settings = policy_.settings();
    if (Result<ConfigEntry> q = ask_for<ConfigEntry>(ctx_, request::config_get("quiet-hours"))) {
      Result<std::optional<QuietHours>> parsed = model::parse_quiet_hours(q->value);
      if (parsed) {
        settings.quiet_hours = *parsed;
      } else {
        say_once(
            "The setting quiet-hours is not one this version understands; it is taken "
            "as off.");
        settings.quiet_hours.reset();
      }
    }
    if (Result<ConfigEntry> e = ask_for<ConfigEntry>(ctx_, request::config_get("notify-entries")))
      settings.entries = e->value == "on";
    policy_.set_settings(settings);
    if (Result<Overview> o = ask_for<Overview>(ctx_, request::overview()))
      post(policy_.set_overview(*o, at));
  }

  bool on_update(const Update& update) {
    if (!started_) {
      started_ = true;
      say("hearth notify is following hearthd: notifications appear on this desktop. "
          "Ctrl-C stops.");
    }
    const Moment at = now();
    refresh(at);
    post(policy_.on_update(update, at));
    return true;
  }

  void on_idle() {
    const Moment at = now();
    if (at.ms - last_refresh_ >= kRefreshMs) refresh(at);
    post(policy_.on_tick(at));
  }

  void on_gone(Gone why, bool ever_open) {
    if (why == Gone::kLocked) {
      say("hearthd is locked; notifications follow once it is unlocked.");
    } else if (ever_open) {
      say("hearthd stopped; notifications follow again when it is back.");
    } else {
      say("Waiting for hearthd to start; notifications follow once it runs.");
    }
  }

  void on_back() {
    if (started_) say("hearthd is back; notifications follow again.");
  }

 private:
  void post(const std::vector<Notice>& notices) {
    for (const Notice& n : notices) {
      Status posted = notifier_.post(n);
      if (posted.is_ok()) {
        say(std::string("Posted a notification (") + notice_kind_name(n.kind) + ").");
      } else {
        say_once("Cannot post a notification: " + posted.message());
      }
    }
  }

  void say(const std::string& line) { ctx_.err << line << "\n" << std::flush; }

  // Once per distinct line, so that a desktop without a notification
  // service does not fill the journal.
  void say_once(const std::string& line) {
    if (said_.size() < 64 && said_.insert(line).second) say(line);
  }

  Context& ctx_;
  Notifier& notifier_;
  const Pacing& pacing_;
  NotifyPolicy policy_;
  int64_t last_refresh_ = 0;
  bool started_ = false;
  std::set<std::string> said_;
};

}  // namespace

int run_notify(Context& ctx, Notifier& notifier, const Pacing& pacing) {
  NotifyRun run(ctx, notifier, pacing);
  FollowRules rules;
  rules.wait_at_start = true;  // a service may start before hearthd
  rules.end_on_lock = false;   // and waits through a lock
  FollowHooks hooks;
  hooks.update = [&](const Update& u) { return run.on_update(u); };
  hooks.idle = [&] { run.on_idle(); };
  hooks.gone = [&](Gone why, bool ever_open) { run.on_gone(why, ever_open); };
  hooks.back = [&] { run.on_back(); };
  Status followed = follow_updates(ctx.daemon, rules, hooks, pacing);
  if (!followed.is_ok()) return fail(ctx, followed);
  return kExitOk;
}

}  // namespace hearth::client
