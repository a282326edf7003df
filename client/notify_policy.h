// What `hearth notify` posts, and when (docs/DESIGN.md §10.3). Pure logic:
// no sockets, no D-Bus, no clock of its own; cmd_notify.cpp feeds it the
// `watch` stream, the overview and the settings, and posts what it returns.
//
// What is posted: the partner's pause and its end, answers to a prompt now
// readable by both, a partner's reply to my check-in, and, only with the
// setting notify-entries on, that the partner shared something new. A notice
// names the partner and the kind of thing, never the words of an entry (no
// text, note, need, answer or question), and never a content note.
//
// When nothing is posted:
// - During quiet hours. The partner's pause is held: if it is still on when
//   quiet hours end, it is posted then. Everything else is dropped, so the
//   end of quiet hours brings no burst.
// - While my own pause is on. The daemon already keeps the partner's new
//   entries back from `watch`; here the rest is held too. When my pause ends,
//   at most one notice sums up what is worth knowing: the partner's pause if
//   they are pausing and I was not yet told, that the pause I was told about
//   has ended, and that something arrived meanwhile (without saying what or
//   how much). When nothing is worth saying, nothing is posted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/notifier.h"
#include "model/quiet_hours.h"
#include "client/reply.h"

namespace hearth::client {

using model::QuietHours;

// The daemon's settings that shape notifications (`hearth config`).
struct NotifySettings {
  std::optional<QuietHours> quiet_hours;  // quiet-hours; nullopt: off
  bool entries = false;                   // notify-entries: new shared entries
};

// A moment as the policy needs it: ms since the epoch (compared with the
// times the daemon sends) and the local clock's minute of the day.
struct Moment {
  int64_t ms = 0;
  int minute_of_day = 0;
};

// After my own pause ends, what the daemon held back follows at once on
// `watch`; for this long it is counted into the one summary, not posted.
inline constexpr int64_t kAfterPauseSettleMs = 2'000;
// A pause of mine that ends this close to its time ran out by itself.
inline constexpr int64_t kRanOutSlackMs = 5'000;

class NotifyPolicy {
 public:
  void set_settings(const NotifySettings& settings) { settings_ = settings; }
  const NotifySettings& settings() const { return settings_; }

  // The overview as last asked for: the partner's name and my own pause.
  // Notices what it changes (my pause began or ended); may return the
  // summary of a pause that ended.
  std::vector<Notice> set_overview(const Overview& overview, const Moment& now);

  // One update from `watch`, in order. Returns what to post now.
  std::vector<Notice> on_update(const Update& update, const Moment& now);

  // Time passing with nothing arriving: a partner's pause running out, quiet
  // hours ending, my pause running out. Cheap; call it every second or so.
  std::vector<Notice> on_tick(const Moment& now);

  // The notice for an invitation to practise together; on_update posts it
  // once per session, held like the others.
  Notice practice_invitation() const;

 private:
  struct PartnerPause {
    bool active = false;
    int64_t started_at = 0;
    int64_t until = 0;
    bool announced = false;  // posted (so its end is worth posting too)
  };

  std::string partner() const;  // "Alex", else "your partner"
  bool quiet(const Moment& now) const;
  bool my_pause_on(const Moment& now) const;
  bool settling(const Moment& now) const;

  // Posts `n` now, or holds or drops it (see the file comment).
  void offer(Notice n, const Moment& now, std::vector<Notice>& out);
  void partner_paused(const PauseInfo& p, const Moment& now, std::vector<Notice>& out);
  void partner_pause_over(const Moment& now, std::vector<Notice>& out);
  void my_pause_over(const Moment& now);
  // The partner's pause not yet announced, when nothing holds it back.
  void announce_pause_if_due(const Moment& now, std::vector<Notice>& out);
  void settle(const Moment& now, std::vector<Notice>& out);

  std::optional<Notice> notice_for(const Update& update);
  Notice pause_notice(const Moment& now) const;
  Notice pause_ended_notice() const;

  NotifySettings settings_;
  std::string partner_name_;
  bool my_pause_ = false;
  int64_t my_pause_until_ = 0;
  PartnerPause partner_pause_;
  // Held while my pause was on, for the summary after it.
  bool held_something_ = false;
  bool told_pause_ended_meanwhile_ = false;
  int64_t settle_until_ = 0;  // after my pause ends; 0: not settling
  bool ran_out_ = false;      // my pause ended by its time, not by `hearth resume`
  bool paired_ = false;
  // What was already posted, so a repeated update is not posted twice.
  std::set<std::string> revealed_;
  std::map<std::string, size_t> need_replies_;
  std::set<std::string> asked_;
  std::set<std::string> invited_;  // practice sessions, by id
};

}  // namespace hearth::client
