// What `hearth notify` posts for each update, quiet hours, and holding back
// during one's own pause (client/notify_policy.h, model/quiet_hours.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "client/notify_policy.h"
#include "model/quiet_hours.h"
#include "client_fixtures.h"

namespace hearth::client {
namespace {

using test::id_bytes;
using test::kNow;
using model::parse_quiet_hours;

constexpr int64_t kMinute = 60'000;
// Words written by the partner: none of them may reach a notice.
constexpr const char* kWords = "lighthouse-words";

Moment at(int64_t ms, int minute_of_day = 12 * 60) { return {ms, minute_of_day}; }

Update partner_pause(int64_t started, int minutes, const std::string& note = kWords) {
  Update u;
  u.kind = Update::Kind::kPause;
  u.pause.active = true;
  u.pause.started_at = started;
  u.pause.until = started + minutes * kMinute;
  u.pause.minutes = static_cast<uint16_t>(minutes);
  u.pause.note = note;
  return u;
}

Update no_partner_pause() {
  Update u;
  u.kind = Update::Kind::kPause;
  return u;
}

Update partner_resume() {
  Update u;
  u.kind = Update::Kind::kResume;
  return u;
}

Update my_resume() {
  Update u;
  u.kind = Update::Kind::kResume;
  u.pause.mine = true;
  return u;
}

Update reflection(uint8_t id, bool edited = false) {
  Update u;
  u.kind = Update::Kind::kReflection;
  u.reflection.id = id_bytes(id);
  u.reflection.shared = true;
  u.reflection.created_at = kNow - kMinute;
  u.reflection.updated_at = edited ? kNow : kNow - kMinute;
  u.reflection.text = kWords;
  u.reflection.content_note = std::string("note ") + kWords;
  u.reflection.feelings = {kWords};
  return u;
}

Update revealed_prompt(const std::string& id, bool readable = true) {
  Update u;
  u.kind = Update::Kind::kPrompt;
  u.prompt.id = id;
  u.prompt.round = id_bytes(0x01, 8);
  u.prompt.text = std::string("question ") + kWords;
  u.prompt.depth = 1;
  u.prompt.status = "both_answered";
  u.prompt.mine = {true, kNow, true, true, std::string("mine ") + kWords, "", ""};
  u.prompt.partner = {true, kNow, readable, readable, std::string("theirs ") + kWords, "", ""};
  return u;
}

Update reply_to_my_checkin(uint8_t id, size_t replies) {
  Update u;
  u.kind = Update::Kind::kCheckIn;
  u.check_in.id = id_bytes(id);
  u.check_in.mine = true;
  u.check_in.shared = true;
  u.check_in.capacity = "red";
  u.check_in.need = std::string("need ") + kWords;
  for (size_t i = 0; i < replies; ++i)
    u.check_in.replies.push_back({false, kNow, std::string("reply ") + kWords});
  return u;
}

Overview named(const std::string& name, bool my_pause = false, int64_t until = 0) {
  Overview o;
  o.paired = true;
  o.partner_name = name;
  o.my_pause.active = my_pause;
  o.my_pause.mine = true;
  o.my_pause.until = until;
  return o;
}

std::vector<std::string> summaries(const std::vector<Notice>& notices) {
  std::vector<std::string> out;
  for (const Notice& n : notices) out.push_back(n.summary);
  return out;
}

void check_no_words(const std::vector<Notice>& notices) {
  for (const Notice& n : notices) {
    CHECK(n.summary.find("lighthouse") == std::string::npos);
    CHECK(n.body.find("lighthouse") == std::string::npos);
  }
}

struct Policy {
  NotifyPolicy policy;
  std::vector<Notice> posted;

  explicit Policy(NotifySettings s = {}, const std::string& name = "Alex") {
    policy.set_settings(s);
    policy.set_overview(named(name), at(kNow));
  }
  std::vector<Notice> feed(const Update& u, Moment now = at(kNow)) {
    auto out = policy.on_update(u, now);
    check_no_words(out);
    posted.insert(posted.end(), out.begin(), out.end());
    return out;
  }
  std::vector<Notice> tick(Moment now) {
    auto out = policy.on_tick(now);
    check_no_words(out);
    posted.insert(posted.end(), out.begin(), out.end());
    return out;
  }
};

}  // namespace

TEST_CASE("notify: quiet hours parse from HH:MM-HH:MM or off, and nothing else") {
  auto off = parse_quiet_hours("off");
  REQUIRE(off.is_ok());
  CHECK(!off->has_value());
  CHECK(parse_quiet_hours(" OFF ").is_ok());

  auto night = parse_quiet_hours("22:00-08:00");
  REQUIRE(night.is_ok());
  REQUIRE(night->has_value());
  CHECK((*night)->start == 22 * 60);
  CHECK((*night)->end == 8 * 60);
  CHECK((*night)->text() == "22:00-08:00");

  auto loose = parse_quiet_hours("7:30 - 9:05");
  REQUIRE(loose.is_ok());
  CHECK((*loose)->text() == "07:30-09:05");

  for (const char* bad :
       {"", "22:00", "22-08", "24:00-08:00", "22:60-08:00", "22:00-8", "22:00-08:00-09:00",
        "ten-eight", "22:00-22:00", "-1:00-02:00", "22:00–08:00x"}) {
    CAPTURE(bad);
    auto r = parse_quiet_hours(bad);
    CHECK(!r.is_ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
  }
  CHECK(parse_quiet_hours("22:00-22:00").status().message().find("off") != std::string::npos);
}

TEST_CASE("notify: quiet hours span midnight when they end before they start") {
  const QuietHours night{22 * 60, 8 * 60};
  CHECK(night.contains(22 * 60));
  CHECK(night.contains(23 * 60 + 59));
  CHECK(night.contains(0));
  CHECK(night.contains(7 * 60 + 59));
  CHECK(!night.contains(8 * 60));
  CHECK(!night.contains(12 * 60));
  CHECK(!night.contains(21 * 60 + 59));

  const QuietHours lunch{12 * 60, 13 * 60 + 30};
  CHECK(lunch.contains(12 * 60));
  CHECK(lunch.contains(13 * 60 + 29));
  CHECK(!lunch.contains(13 * 60 + 30));
  CHECK(!lunch.contains(11 * 60 + 59));
  CHECK(!lunch.contains(0));
}

TEST_CASE("notify: a partner's pause is posted with their name and time, never its note") {
  Policy p;
  auto out = p.feed(partner_pause(kNow, 30));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPause);
  CHECK(out[0].summary.rfind("Alex is pausing until ", 0) == 0);
  CHECK(out[0].body.find("nothing") != std::string::npos);  // nothing is asked of me

  // The same pause again (watch starts with it after a reconnect): nothing.
  CHECK(p.feed(partner_pause(kNow, 30)).empty());
  // Extended: said again.
  out = p.feed(partner_pause(kNow + kMinute, 60), at(kNow + kMinute));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPause);

  out = p.feed(partner_resume(), at(kNow + 2 * kMinute));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPauseEnded);
  CHECK(out[0].summary == "Alex's pause has ended");
  // Said once.
  CHECK(p.feed(partner_resume(), at(kNow + 3 * kMinute)).empty());
  CHECK(p.feed(no_partner_pause(), at(kNow + 3 * kMinute)).empty());
}

TEST_CASE("notify: without a name the partner is 'your partner'") {
  Policy p({}, "");
  auto out = p.feed(partner_pause(kNow, 30));
  REQUIRE(out.size() == 1);
  CHECK(out[0].summary.rfind("Your partner is pausing until ", 0) == 0);
  out = p.feed(partner_resume());
  REQUIRE(out.size() == 1);
  CHECK(out[0].summary == "Your partner's pause has ended");
}

TEST_CASE("notify: a partner's pause that runs out is said to have ended, once") {
  Policy p;
  p.feed(partner_pause(kNow, 20));
  CHECK(p.tick(at(kNow + 19 * kMinute)).empty());
  auto out = p.tick(at(kNow + 20 * kMinute + 1));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPauseEnded);
  CHECK(p.tick(at(kNow + 21 * kMinute)).empty());
  // The resume that arrives later says nothing new.
  CHECK(p.feed(partner_resume(), at(kNow + 22 * kMinute)).empty());
}

TEST_CASE("notify: no pause at the start of watch says nothing; one already on is posted") {
  Policy quiet_start;
  CHECK(quiet_start.feed(no_partner_pause()).empty());
  CHECK(quiet_start.feed(partner_resume()).empty());  // a pause never shown: no end either

  Policy paused_start;
  auto out = paused_start.feed(partner_pause(kNow - 10 * kMinute, 30));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPause);
  // A watch that starts again after the pause ended elsewhere: it ended.
  out = paused_start.feed(no_partner_pause(), at(kNow + kMinute));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPauseEnded);
}

TEST_CASE("notify: answers revealed to both are posted once, without any words") {
  Policy p;
  CHECK(p.feed(revealed_prompt("again-012", false)).empty());  // their words not here yet
  auto out = p.feed(revealed_prompt("again-012"));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kAnswersRevealed);
  CHECK(out[0].summary == "You can both read your answers to a prompt now");
  CHECK(out[0].body.find("again-012") != std::string::npos);  // how to see them
  CHECK(p.feed(revealed_prompt("again-012")).empty());
  CHECK(p.feed(revealed_prompt("again-013")).size() == 1);

  Update waiting = revealed_prompt("again-014");
  waiting.prompt.status = "waiting_for_you";
  CHECK(p.feed(waiting).empty());
}

TEST_CASE("notify: a partner's reply to my check-in is posted without its words") {
  Policy p;
  CHECK(p.feed(reply_to_my_checkin(0xc1, 0)).empty());
  auto out = p.feed(reply_to_my_checkin(0xc1, 1));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kNeedReply);
  CHECK(out[0].summary == "Alex replied to your check-in");
  CHECK(p.feed(reply_to_my_checkin(0xc1, 1)).empty());  // the same reply again
  CHECK(p.feed(reply_to_my_checkin(0xc1, 2)).size() == 1);

  // My own reply to my check-in (there is none such from the partner): nothing.
  Update own = reply_to_my_checkin(0xc2, 0);
  own.check_in.replies.push_back({true, kNow, "mine"});
  CHECK(p.feed(own).empty());
}

TEST_CASE("notify: new shared entries are posted only with notify-entries on, without words") {
  Update checkin;
  checkin.kind = Update::Kind::kCheckIn;
  checkin.check_in.id = id_bytes(0xc3);
  checkin.check_in.shared = true;
  checkin.check_in.capacity = "yellow";
  checkin.check_in.need = kWords;
  checkin.check_in.feelings = {kWords};

  Update limit;
  limit.kind = Update::Kind::kBoundary;
  limit.boundary.id = id_bytes(0xb1);
  limit.boundary.kind = "limit";
  limit.boundary.status = "in_force";
  limit.boundary.text = kWords;
  limit.boundary.in_force_text = kWords;
  limit.boundary.created_at = limit.boundary.updated_at = kNow;

  Update agreement = limit;
  agreement.boundary.id = id_bytes(0xb2);
  agreement.boundary.kind = "agreement";
  agreement.boundary.status = "proposed";

  Update asked;
  asked.kind = Update::Kind::kPrompt;
  asked.prompt.id = "ask-1234abcd";
  asked.prompt.text = kWords;
  asked.prompt.asked_by = "partner";
  asked.prompt.status = "open";

  Update appreciation = reflection(0xa3);
  appreciation.reflection.appreciation = true;

  SUBCASE("off (the default): nothing") {
    Policy p;
    for (const Update& u : {reflection(0xa1), checkin, limit, agreement, asked, appreciation})
      CHECK(p.feed(u).empty());
  }
  SUBCASE("on: who and what kind") {
    Policy p(NotifySettings{std::nullopt, true});
    CHECK(summaries(p.feed(reflection(0xa1))) ==
          std::vector<std::string>{"Alex shared a reflection"});
    CHECK(p.feed(reflection(0xa1, true)).empty());  // an edit is not new
    CHECK(summaries(p.feed(appreciation)) ==
          std::vector<std::string>{"Alex shared an appreciation"});
    CHECK(summaries(p.feed(checkin)) == std::vector<std::string>{"Alex shared a check-in"});
    CHECK(summaries(p.feed(limit)) == std::vector<std::string>{"Alex shared a limit"});
    CHECK(summaries(p.feed(agreement)) == std::vector<std::string>{"Alex suggested an agreement"});
    CHECK(summaries(p.feed(asked)) == std::vector<std::string>{"Alex asked a question"});
    CHECK(p.feed(asked).empty());  // asked once
    for (const Notice& n : p.posted) CHECK(n.kind == NoticeKind::kNewEntry);
  }
}

TEST_CASE("notify: connections, forgets and my own changes post nothing") {
  Policy p(NotifySettings{std::nullopt, true});
  Update connection;
  connection.kind = Update::Kind::kConnection;
  connection.connection = "connected";
  Update forgotten;
  forgotten.kind = Update::Kind::kForgotten;
  forgotten.forgotten = id_bytes(0xa1);
  Update mine = reflection(0xa2);
  mine.reflection.mine = true;
  CHECK(p.feed(connection).empty());
  CHECK(p.feed(forgotten).empty());
  CHECK(p.feed(mine).empty());
}

TEST_CASE("notify: during quiet hours a partner's pause waits for their end; the rest is dropped") {
  NotifySettings s;
  s.quiet_hours = QuietHours{22 * 60, 8 * 60};
  s.entries = true;
  Policy p(s);
  const int64_t night = kNow;  // the minute of day below is what counts
  CHECK(p.feed(partner_pause(night, 24 * 60), at(night, 23 * 60)).empty());
  CHECK(p.feed(reflection(0xa1), at(night, 23 * 60)).empty());
  CHECK(p.feed(revealed_prompt("again-001"), at(night, 23 * 60 + 5)).empty());
  CHECK(p.tick(at(night + kMinute, 7 * 60 + 59)).empty());
  // Quiet hours end with the pause still on: it is posted, and only it.
  auto out = p.tick(at(night + 2 * kMinute, 8 * 60));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPause);
  CHECK(p.tick(at(night + 3 * kMinute, 8 * 60 + 1)).empty());
  // Outside quiet hours, entries are posted again.
  CHECK(p.feed(reflection(0xa2), at(night + 4 * kMinute, 9 * 60)).size() == 1);
}

TEST_CASE("notify: a partner's pause that began and ended in quiet hours is never posted") {
  NotifySettings s;
  s.quiet_hours = QuietHours{22 * 60, 8 * 60};
  Policy p(s);
  CHECK(p.feed(partner_pause(kNow, 30), at(kNow, 1 * 60)).empty());
  CHECK(p.feed(partner_resume(), at(kNow + kMinute, 1 * 60 + 1)).empty());
  CHECK(p.tick(at(kNow + 2 * kMinute, 8 * 60)).empty());
  CHECK(p.posted.empty());
}

TEST_CASE("notify: the end of a pause already posted is dropped in quiet hours") {
  NotifySettings s;
  s.quiet_hours = QuietHours{22 * 60, 8 * 60};
  Policy p(s);
  CHECK(p.feed(partner_pause(kNow, 120), at(kNow, 21 * 60)).size() == 1);
  CHECK(p.feed(partner_resume(), at(kNow + kMinute, 22 * 60 + 30)).empty());
  CHECK(p.tick(at(kNow + 2 * kMinute, 8 * 60)).empty());
}

TEST_CASE("notify: while my pause is on nothing is posted; one summary follows its end") {
  NotifySettings s;
  s.entries = true;
  Policy p(s);
  const int64_t until = kNow + 30 * kMinute;
  CHECK(p.policy.set_overview(named("Alex", true, until), at(kNow)).empty());
  CHECK(p.feed(partner_pause(kNow, 20)).empty());
  CHECK(p.feed(partner_resume(), at(kNow + kMinute)).empty());
  CHECK(p.feed(revealed_prompt("again-002"), at(kNow + 2 * kMinute)).empty());
  CHECK(p.feed(reply_to_my_checkin(0xc1, 1), at(kNow + 3 * kMinute)).empty());
  CHECK(p.tick(at(kNow + 4 * kMinute)).empty());

  // My pause ends: the held entries follow at once, and are not posted one by one.
  const int64_t end = kNow + 5 * kMinute;
  CHECK(p.policy.set_overview(named("Alex"), at(end)).empty());
  CHECK(p.feed(my_resume(), at(end)).empty());
  CHECK(p.feed(reflection(0xa1), at(end + 100)).empty());
  CHECK(p.feed(reflection(0xa2), at(end + 200)).empty());
  auto out = p.tick(at(end + kAfterPauseSettleMs + 1));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kAfterMyPause);
  CHECK(out[0].summary == "Your pause has ended");
  CHECK(out[0].body.find("Alex") != std::string::npos);
  // A pause that began and ended while I was paused is not mentioned.
  CHECK(out[0].body.find("pausing") == std::string::npos);
  CHECK(p.tick(at(end + 10'000)).empty());
  // Afterwards, notices as usual.
  CHECK(p.feed(reflection(0xa3), at(end + 20'000)).size() == 1);
}

TEST_CASE("notify: after my pause, the partner's pause still on is the summary") {
  Policy p;
  const int64_t until = kNow + 30 * kMinute;
  p.policy.set_overview(named("Alex", true, until), at(kNow));
  CHECK(p.feed(partner_pause(kNow, 60)).empty());
  // My pause runs out (no resume arrives: hearthd was restarting).
  auto out = p.tick(at(until + 1));
  CHECK(out.empty());
  out = p.tick(at(until + kAfterPauseSettleMs + 2));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kPartnerPause);
  CHECK(out[0].summary.rfind("Alex is pausing until ", 0) == 0);
  CHECK(p.tick(at(until + 10'000)).empty());
}

TEST_CASE("notify: after my pause, a partner's pause I was told about and that ended is said") {
  Policy p;
  CHECK(p.feed(partner_pause(kNow, 60)).size() == 1);
  p.policy.set_overview(named("Alex", true, kNow + 30 * kMinute), at(kNow + kMinute));
  CHECK(p.feed(partner_resume(), at(kNow + 2 * kMinute)).empty());
  const int64_t end = kNow + 3 * kMinute;
  p.policy.set_overview(named("Alex"), at(end));
  auto out = p.tick(at(end + kAfterPauseSettleMs + 1));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kAfterMyPause);
  CHECK(out[0].body.find("Alex's pause has ended") != std::string::npos);
}

TEST_CASE("notify: a pause of mine I ended myself, with nothing held, ends without a notice") {
  Policy p;
  p.policy.set_overview(named("Alex", true, kNow + 30 * kMinute), at(kNow));
  p.feed(my_resume(), at(kNow + kMinute));
  CHECK(p.tick(at(kNow + kMinute + kAfterPauseSettleMs + 1)).empty());
  CHECK(p.posted.empty());
}

TEST_CASE("notify: a pause of mine that runs out asks gently if I am ready to reconnect") {
  Policy p;
  p.policy.set_overview(named("Alex", true, kNow + 30 * kMinute), at(kNow));
  p.tick(at(kNow + 30 * kMinute));  // its time is up
  auto out = p.tick(at(kNow + 30 * kMinute + kAfterPauseSettleMs + 1));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == NoticeKind::kAfterMyPause);
  CHECK(out[0].summary == "Your pause has ended");
  CHECK(out[0].body == "Ready to reconnect with Alex? Whenever you are; there is no hurry.");
  CHECK(p.tick(at(kNow + 31 * kMinute)).empty());  // once

  SUBCASE("not in quiet hours") {
    NotifySettings s;
    s.quiet_hours = QuietHours{0, 23 * 60 + 59};
    Policy quiet(s);
    quiet.policy.set_overview(named("Alex", true, kNow + 30 * kMinute), at(kNow, 600));
    quiet.tick(at(kNow + 30 * kMinute, 630));
    CHECK(quiet.tick(at(kNow + 30 * kMinute + kAfterPauseSettleMs + 1, 630)).empty());
  }
}

TEST_CASE("notify: an invitation to practise names the partner and nothing else") {
  Policy p;
  Notice n = p.policy.practice_invitation();
  CHECK(n.kind == NoticeKind::kPracticeInvitation);
  CHECK(n.summary == "Alex invites you to practise together");
  CHECK(std::string(notice_kind_name(n.kind)) == "practice-invitation");
}

TEST_CASE("notify: a partner's invitation to practise is posted once; my own, a join or a stop is not") {
  Policy p;
  Update u;
  u.kind = Update::Kind::kPractice;
  u.practice.id = id_bytes(7);
  u.practice.practice = "breathe";
  u.practice.invited_at = kNow;
  CHECK(summaries(p.feed(u)) == std::vector<std::string>{"Alex invites you to practise together"});
  CHECK(p.feed(u).empty());  // the same session again, as a reconnected watch sends it

  Update joined = u;
  joined.practice.id = id_bytes(8);
  joined.practice.joined = true;
  CHECK(p.feed(joined).empty());
  Update mine = u;
  mine.practice.id = id_bytes(9);
  mine.practice.invited_by_me = true;
  CHECK(p.feed(mine).empty());
  Update stopped = u;
  stopped.practice.id = id_bytes(10);
  stopped.practice.stopped = true;
  CHECK(p.feed(stopped).empty());
}

}  // namespace hearth::client
