#include "client/notify_policy.h"

#include <algorithm>

#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"
#include "util/bytes.h"

namespace hearth::client {
namespace {

// The sets of what was posted stay small: an hour of a busy couple is a
// handful of entries. Past this they start over (a repeat is harmless).
constexpr size_t kMaxRemembered = 4096;

template <typename Container>
void bound(Container& c) {
  if (c.size() >= kMaxRemembered) c.clear();
}

bool is_pause_notice(NoticeKind kind) {
  return kind == NoticeKind::kPartnerPause || kind == NoticeKind::kPartnerPauseEnded;
}

}  // namespace

const char* notice_kind_name(NoticeKind kind) {
  switch (kind) {
    case NoticeKind::kPartnerPause:
      return "partner-pause";
    case NoticeKind::kPartnerPauseEnded:
      return "partner-pause-ended";
    case NoticeKind::kAnswersRevealed:
      return "answers-revealed";
    case NoticeKind::kNeedReply:
      return "need-reply";
    case NoticeKind::kNewEntry:
      return "new-entry";
    case NoticeKind::kPracticeInvitation:
      return "practice-invitation";
    case NoticeKind::kAfterMyPause:
      return "after-my-pause";
  }
  return "notice";
}

std::string NotifyPolicy::partner() const {
  return partner_name_.empty() ? std::string("your partner") : partner_name_;
}

bool NotifyPolicy::quiet(const Moment& now) const {
  return settings_.quiet_hours && settings_.quiet_hours->contains(now.minute_of_day);
}

bool NotifyPolicy::my_pause_on(const Moment& now) const {
  return my_pause_ && (my_pause_until_ == 0 || now.ms < my_pause_until_);
}

bool NotifyPolicy::settling(const Moment& now) const {
  return settle_until_ != 0 && now.ms < settle_until_;
}

std::vector<Notice> NotifyPolicy::set_overview(const Overview& overview, const Moment& now) {
  partner_name_ = terminal_safe(overview.partner_name, false);
  paired_ = overview.paired;
  if (overview.my_pause.active) {
    if (!my_pause_) {
      held_something_ = false;
      told_pause_ended_meanwhile_ = false;
      settle_until_ = 0;
    }
    my_pause_ = true;
    my_pause_until_ = overview.my_pause.until;
  } else if (my_pause_) {
    my_pause_over(now);
  }
  return on_tick(now);
}

std::vector<Notice> NotifyPolicy::on_tick(const Moment& now) {
  std::vector<Notice> out;
  if (my_pause_ && !my_pause_on(now)) my_pause_over(now);
  if (partner_pause_.active && partner_pause_.until != 0 && now.ms >= partner_pause_.until)
    partner_pause_over(now, out);
  if (settle_until_ != 0 && !settling(now)) settle(now, out);
  announce_pause_if_due(now, out);
  return out;
}

std::vector<Notice> NotifyPolicy::on_update(const Update& update, const Moment& now) {
  std::vector<Notice> out = on_tick(now);
  switch (update.kind) {
    case Update::Kind::kPause:
      // `watch` sends only the partner's pauses (its first update is the
      // partner's pause, on or not).
      if (!update.pause.mine) partner_paused(update.pause, now, out);
      break;
    case Update::Kind::kResume:
      if (update.pause.mine) {
        // What my pause held back follows at once: into the summary.
        if (!settling(now)) my_pause_over(now);
      } else if (partner_pause_.active) {
        partner_pause_over(now, out);
      }
      break;
    default:
      if (std::optional<Notice> n = notice_for(update)) offer(std::move(*n), now, out);
      break;
  }
  return out;
}

void NotifyPolicy::offer(Notice n, const Moment& now, std::vector<Notice>& out) {
  if (my_pause_on(now) || settling(now)) {
    // Pauses are summed up from their state when mine ends, not counted.
    if (!is_pause_notice(n.kind)) held_something_ = true;
    return;
  }
  if (quiet(now)) return;  // dropped: the end of quiet hours brings no burst
  out.push_back(std::move(n));
}

void NotifyPolicy::partner_paused(const PauseInfo& p, const Moment& now, std::vector<Notice>& out) {
  if (!p.active || (p.until != 0 && now.ms >= p.until)) {
    // No pause (a new `watch` starts with this): one I knew of has ended.
    if (partner_pause_.active) partner_pause_over(now, out);
    return;
  }
  if (partner_pause_.active && partner_pause_.started_at == p.started_at &&
      partner_pause_.until == p.until)
    return;  // the same pause again, as a reconnected `watch` starts with it
  partner_pause_ = PartnerPause{true, p.started_at, p.until, false};
  announce_pause_if_due(now, out);
}

void NotifyPolicy::announce_pause_if_due(const Moment& now, std::vector<Notice>& out) {
  if (!partner_pause_.active || partner_pause_.announced) return;
  if (my_pause_on(now) || settling(now) || quiet(now)) return;
  out.push_back(pause_notice(now));
  partner_pause_.announced = true;
}

void NotifyPolicy::partner_pause_over(const Moment& now, std::vector<Notice>& out) {
  const bool announced = partner_pause_.announced;
  partner_pause_ = PartnerPause{};
  // A pause never posted (held by quiet hours or my pause) ends unsaid.
  if (!announced) return;
  if (my_pause_on(now) || settling(now)) {
    told_pause_ended_meanwhile_ = true;
    return;
  }
  if (quiet(now)) return;
  out.push_back(pause_ended_notice());
}

void NotifyPolicy::my_pause_over(const Moment& now) {
  // Ended by its time (not by `hearth resume`, which the person just typed).
  ran_out_ = my_pause_until_ != 0 && now.ms + kRanOutSlackMs >= my_pause_until_;
  my_pause_ = false;
  my_pause_until_ = 0;
  settle_until_ = now.ms + kAfterPauseSettleMs;
}

void NotifyPolicy::settle(const Moment& now, std::vector<Notice>& out) {
  settle_until_ = 0;
  const bool pause_unsaid = partner_pause_.active && !partner_pause_.announced;
  std::string body;
  if (told_pause_ended_meanwhile_ && !pause_unsaid)
    body = capitalized(partner()) + "'s pause has ended.";
  if (held_something_) {
    if (!body.empty()) body += ' ';
    body += "Some things from " + partner() +
            " arrived meanwhile; Hearth shows them whenever you are ready.";
  }
  held_something_ = false;
  told_pause_ended_meanwhile_ = false;
  Notice n;
  if (pause_unsaid) {
    n = pause_notice(now);
    if (!body.empty()) n.body += ' ' + body;
  } else if (!body.empty()) {
    n = Notice{NoticeKind::kAfterMyPause, "Your pause has ended", body};
  } else if (ran_out_ && paired_) {
    n = Notice{NoticeKind::kAfterMyPause, "Your pause has ended",
               "Ready to reconnect with " + partner() + "? Whenever you are; there is no hurry."};
  } else {
    return;
  }
  if (quiet(now)) return;  // the partner's pause, if any, waits for their end
  if (pause_unsaid) partner_pause_.announced = true;
  out.push_back(std::move(n));
}

std::optional<Notice> NotifyPolicy::notice_for(const Update& update) {
  const std::string who = capitalized(partner());
  switch (update.kind) {
    case Update::Kind::kPrompt: {
      const Prompt& p = update.prompt;
      if (p.status == "both_answered" && p.partner.readable) {
        bound(revealed_);
        if (!revealed_.insert(p.id + "/" + to_hex(p.round)).second) return std::nullopt;
        return Notice{
            NoticeKind::kAnswersRevealed, "You can both read your answers to a prompt now",
            "See them whenever you are ready: hearth prompt show " + terminal_safe(p.id, false)};
      }
      if (p.asked_by == "partner" && settings_.entries) {
        bound(asked_);
        if (!asked_.insert(p.id).second) return std::nullopt;
        return Notice{NoticeKind::kNewEntry, who + " asked a question",
                      "See it whenever you are ready: hearth prompt list"};
      }
      return std::nullopt;
    }
    case Update::Kind::kCheckIn: {
      const CheckIn& c = update.check_in;
      if (c.mine) {
        // My check-in reaches `watch` only when the partner answered its need.
        const size_t theirs = static_cast<size_t>(std::count_if(
            c.replies.begin(), c.replies.end(), [](const NeedReplyInfo& r) { return !r.mine; }));
        bound(need_replies_);
        size_t& seen = need_replies_[to_hex(c.id)];
        if (theirs <= seen) return std::nullopt;
        seen = theirs;
        return Notice{NoticeKind::kNeedReply, who + " replied to your check-in",
                      "Read it whenever you are ready: hearth checkin list"};
      }
      if (!settings_.entries) return std::nullopt;
      return Notice{NoticeKind::kNewEntry, who + " shared a check-in",
                    "Open it in Hearth whenever you are ready."};
    }
    case Update::Kind::kReflection: {
      const Reflection& r = update.reflection;
      // New, not an edit: its first version is its latest.
      if (r.mine || !settings_.entries || r.created_at != r.updated_at) return std::nullopt;
      return Notice{NoticeKind::kNewEntry,
                    who + (r.appreciation ? " shared an appreciation" : " shared a reflection"),
                    "Open it in Hearth whenever you are ready."};
    }
    case Update::Kind::kBoundary: {
      const Boundary& b = update.boundary;
      if (!settings_.entries || b.proposed_by_me || b.created_at != b.updated_at)
        return std::nullopt;
      if (b.kind == "limit")
        return Notice{NoticeKind::kNewEntry, who + " shared a limit",
                      "Read it whenever you are ready: hearth boundary list"};
      if (b.kind == "agreement" && b.status == "proposed")
        return Notice{NoticeKind::kNewEntry, who + " suggested an agreement",
                      "Read it whenever you are ready: hearth boundary list"};
      return std::nullopt;
    }
    case Update::Kind::kPractice: {
      // An invitation to practise together (docs/DESIGN.md §5.7), once per
      // session; joining, stopping and stages are seen in the practice itself.
      const PracticeInfo& p = update.practice;
      if (p.id.empty() || p.invited_by_me || p.joined || p.stopped || p.over)
        return std::nullopt;
      bound(invited_);
      if (!invited_.insert(to_hex(p.id)).second) return std::nullopt;
      return practice_invitation();
    }
    case Update::Kind::kPause:
    case Update::Kind::kResume:
    case Update::Kind::kForgotten:
    case Update::Kind::kConnection:
      return std::nullopt;
  }
  return std::nullopt;
}

Notice NotifyPolicy::pause_notice(const Moment& now) const {
  return Notice{
      NoticeKind::kPartnerPause,
      capitalized(partner()) + " is pausing until " + human_clock(partner_pause_.until, now.ms),
      "Their pause is theirs, and nothing is needed from you. What you share waits "
      "for them until then."};
}

Notice NotifyPolicy::pause_ended_notice() const {
  return Notice{NoticeKind::kPartnerPauseEnded, capitalized(partner()) + "'s pause has ended",
                "Reconnect when you are both ready; there is no hurry."};
}

Notice NotifyPolicy::practice_invitation() const {
  return Notice{NoticeKind::kPracticeInvitation,
                capitalized(partner()) + " invites you to practise together",
                "Join if you would like to. Saying nothing is fine too."};
}

}  // namespace hearth::client
