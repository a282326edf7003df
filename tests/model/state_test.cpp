#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "model_fixtures.h"

using namespace hearth;
using namespace hearth::model;
using hearth::test::device;
using hearth::test::entity;
using hearth::test::entry;

namespace {

constexpr uint8_t kA = 1, kB = 2;

// A history touching every kind of entry and every interesting interleaving:
// edits, a forget, private entries, revisions, responses, a withdrawal,
// pauses and resumes from both partners.
std::vector<Entry> history() {
  std::vector<Entry> h;
  h.push_back(entry(kA, 1, ReflectionPut{entity(1), "first", {"calm"}, "", {}}));
  h.push_back(entry(kA, 2, ReflectionPut{entity(1), "first, edited", {}, "", {}}));
  h.push_back(entry(kB, 2, ReflectionPut{entity(1), "same id, other author", {}, "", {}}));
  h.push_back(entry(kA, 3, ReflectionPut{entity(2), "private", {}, "", {}}, true));
  h.push_back(entry(kA, 4, ReflectionPut{entity(2), "shared later", {}, "", {}}));
  h.push_back(entry(kB, 5, ReflectionPut{entity(3), "to forget", {}, "", {}}));
  h.push_back(entry(kB, 6, ReflectionForget{entity(3)}));
  auto p1 = entry(kA, 7, BoundaryPropose{entity(7), "v1", ""});
  auto p2 = entry(kB, 9, BoundaryPropose{entity(7), "v2", ""});
  h.push_back(p1);
  h.push_back(entry(kB, 8, BoundaryRespond{entity(7), p1.meta.event_id, Response::kAgree, ""}));
  h.push_back(p2);
  auto q = entry(kB, 10, BoundaryPropose{entity(8), "other", "home"});
  h.push_back(q);
  h.push_back(entry(kA, 11, BoundaryRespond{entity(8), q.meta.event_id, Response::kDiscuss, ""}));
  h.push_back(entry(kA, 12, BoundaryWithdraw{entity(8), ""}));
  h.push_back(entry(kA, 13, CheckIn{entity(4), Capacity::kYellow, {"tired"}, "quiet"}, true));
  h.push_back(entry(kB, 13, CheckIn{entity(5), Capacity::kRed, {}, ""}));
  // Pauses: A's pause and B's are independent; B's resume ends B's own.
  h.push_back(entry(kA, 14, Pause{30, "air"}));
  h.push_back(entry(kB, 15, Resume{}));
  h.push_back(entry(kB, 15 + 1, Pause{20, ""}));
  h.push_back(entry(kB, 17, Resume{}));
  // A limit of A's: B's withdrawal and revision are ignored, A's revision
  // counts at once, B acknowledges it.
  auto limit = entry(kA, 18, BoundaryPropose{entity(10), "say my name first", "",
                                             BoundaryKind::kLimit});
  h.push_back(limit);
  h.push_back(entry(kB, 19, BoundaryWithdraw{entity(10), "no"}));
  h.push_back(entry(kB, 20, BoundaryPropose{entity(10), "whatever", "", BoundaryKind::kAgreement}));
  auto tighter = entry(kA, 21, BoundaryPropose{entity(10), "say my name first, softly", "",
                                               BoundaryKind::kLimit});
  h.push_back(tighter);
  h.push_back(entry(kB, 22, BoundaryRespond{entity(10), tighter.meta.event_id,
                                            Response::kAcknowledge, "", 0}));
  // An agreement with a revision its proposer dropped, and one B declined
  // asking to be asked again later.
  auto a1 = entry(kB, 23, BoundaryPropose{entity(11), "no phones at dinner", ""});
  h.push_back(a1);
  h.push_back(entry(kA, 24, BoundaryRespond{entity(11), a1.meta.event_id, Response::kAgree, ""}));
  auto a2 = entry(kB, 25, BoundaryPropose{entity(11), "no phones at any meal", ""});
  h.push_back(a2);
  h.push_back(entry(kB, 26, BoundaryDrop{entity(11), a2.meta.event_id}));
  auto d1 = entry(kA, 27, BoundaryPropose{entity(12), "money talk on sundays", ""});
  h.push_back(d1);
  h.push_back(entry(kB, 28, BoundaryRespond{entity(12), d1.meta.event_id, Response::kDecline,
                                            "", 1'900'000'000'000}));
  // A check-in written privately, shared later, then forgotten; another
  // shared later and kept.
  h.push_back(entry(kA, 29, CheckIn{entity(6), Capacity::kRed, {}, "space"}, true));
  h.push_back(entry(kA, 30, CheckIn{entity(6), Capacity::kRed, {}, "space"}));
  h.push_back(entry(kA, 31, CheckInForget{entity(6)}));
  h.push_back(entry(kB, 32, CheckIn{entity(7), Capacity::kGreen, {}, ""}, true));
  h.push_back(entry(kB, 33, CheckIn{entity(7), Capacity::kGreen, {}, ""}));
  // Prompts: both answer one (A twice: the first counts), each reveals, B
  // forges a reveal of A's answer; A passes another; B asks its own; a
  // yes / no / maybe round stated twice; A's private key; need replies.
  h.push_back(entry(kA, 34, PromptAnswer{"again-001", entity(20), {}, Bytes(48, 1)}));
  h.push_back(entry(kA, 35, PromptAnswer{"again-001", entity(21), {}, Bytes(48, 2)}));
  h.push_back(entry(kB, 36, PromptAnswer{"again-001", entity(22), {}, Bytes(48, 3)}));
  h.push_back(entry(kA, 37, AnswerReveal{entity(20), {}}));
  h.push_back(entry(kB, 38, AnswerReveal{entity(22), {}}));
  h.push_back(entry(kB, 39, AnswerReveal{entity(20), {}}));
  h.push_back(entry(kA, 40, AnswerKey{entity(20), {}, "mine"}, true));
  h.push_back(entry(kA, 41, PromptPass{"safe-002", {}}));
  h.push_back(entry(kB, 42, PromptAsk{"ask-00000000000000aa", "what helps?", 1}));
  h.push_back(entry(kA, 43, PromptAsk{"ask-00000000000000aa", "a second ask of it", 2}));
  h.push_back(entry(kA, 44, YnmRound{entity(30)}));
  h.push_back(entry(kB, 44, YnmRound{entity(30)}));
  const auto round_id = entity(30);  // one object: its begin() and end() must match
  const Bytes round(round_id.begin(), round_id.end());
  h.push_back(entry(kB, 45, PromptAnswer{"ynm-001", entity(23), round, Bytes(48, 4)}));
  h.push_back(entry(kA, 46, NeedReply{entity(7), entity(40), "I can do that tonight."}));
  h.push_back(entry(kA, 47, NeedReply{entity(7), entity(41), "and tomorrow too"}));
  return h;
}

State reduce(const std::vector<Entry>& entries) {
  State s;
  for (const auto& e : entries) s.apply(e);
  return s;
}

}  // namespace

TEST_CASE("the state is the same for every order of the same entries, duplicates included") {
  const auto base = history();
  const State expected = reduce(base);
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < 500; ++round) {
    std::vector<Entry> shuffled = base;
    // Duplicate a few entries at random, as a resent batch would.
    for (int d = 0; d < 3; ++d) shuffled.push_back(base[rng() % base.size()]);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    INFO("round " << round);
    REQUIRE(reduce(shuffled) == expected);
  }
}

TEST_CASE("the history reduces to the expected views") {
  State s = reduce(history());
  auto r1 = s.reflections.at({device(kA), entity(1)});
  CHECK(r1.head_lamport == 2);
  CHECK(r1.first_lamport == 1);
  CHECK(r1.shared);
  auto r2 = s.reflections.at({device(kA), entity(2)});
  CHECK(r2.shared);
  CHECK(r2.head.source == EntryRef::Source::kShared);
  CHECK(s.reflections.at({device(kB), entity(1)}).head_lamport == 2);
  CHECK(s.reflections.at({device(kB), entity(3)}).forgotten);
  CHECK(s.boundary(entity(7))->status == BoundaryStatus::kRenegotiating);
  CHECK(s.boundary(entity(8))->status == BoundaryStatus::kWithdrawn);
  CHECK(s.check_ins.at({device(kA), entity(4)}).exists());
  CHECK(s.check_ins.at({device(kA), entity(6)}).forgotten);
  CHECK(s.check_ins.at({device(kB), entity(7)}).shared());
  CHECK_FALSE(s.check_ins.at({device(kA), entity(4)}).shared());
  CHECK(s.pauses.at(device(kA)).paused);
  CHECK(s.pauses.at(device(kA)).minutes == 30);
  CHECK_FALSE(s.pauses.at(device(kB)).paused);
  auto limit = s.boundary(entity(10));
  REQUIRE(limit);
  CHECK(limit->kind == BoundaryKind::kLimit);
  CHECK(limit->status == BoundaryStatus::kInForce);
  CHECK(limit->revision_count == 2);
  CHECK(limit->acknowledged);
  auto dropped = s.boundary(entity(11));
  REQUIRE(dropped);
  CHECK(dropped->status == BoundaryStatus::kAgreed);
  CHECK(dropped->revision_count == 1);
  CHECK(s.boundary(entity(12))->status == BoundaryStatus::kDeclined);
  const PromptFacts& p = s.prompts.at({"again-001", {}});
  REQUIRE(p.answer_of(device(kA)));
  CHECK(p.answer_of(device(kA))->answer_id == entity(20));  // the first answer counts
  CHECK(status_of(p, device(kA), device(kB)) == PromptStatus::kBothAnswered);
  CHECK(s.reveals.count({device(kA), entity(20)}) == 1);
  CHECK(s.reveals.at({device(kB), entity(20)}).order.author == device(kB));  // never looked up
  CHECK(s.prompts.at({"safe-002", {}}).passed_by(device(kA)));
  CHECK(s.asked.at("ask-00000000000000aa").order.author == device(kB));
  CHECK(s.rounds.at(entity(30)).order.lamport == 44);
  CHECK(s.answer_keys.count(entity(20)) == 1);
  CHECK(s.need_replies.at(entity(7)).size() == 2);
}

TEST_CASE("a put for a forgotten reflection does not bring it back") {
  State s;
  s.apply(entry(kA, 2, ReflectionForget{entity(1)}));
  s.apply(entry(kA, 1, ReflectionPut{entity(1), "late arrival", {}, "", {}}));
  auto v = s.reflections.at({device(kA), entity(1)});
  CHECK(v.forgotten);
  CHECK(v.head_lamport == 0);
}

TEST_CASE("a private reflection stays private until a shared version exists") {
  State s;
  s.apply(entry(kA, 1, ReflectionPut{entity(1), "mine", {}, "", {}}, true));
  CHECK_FALSE(s.reflections.at({device(kA), entity(1)}).shared);
  s.apply(entry(kA, 2, ReflectionPut{entity(1), "mine", {}, "", {}}));
  CHECK(s.reflections.at({device(kA), entity(1)}).shared);
}

TEST_CASE("a pause is active until its minutes run out, and its author's latest wins") {
  PauseView p;
  auto e = entry(kA, 5, Pause{20, ""});
  p = apply_pause(p, e.meta, Pause{20, ""});
  CHECK(window_of(p, {}).active_at(e.meta.wall_ms + 19 * 60'000));
  CHECK_FALSE(window_of(p, {}).active_at(e.meta.wall_ms + 20 * 60'000));
  auto older_resume = entry(kA, 4, Resume{});
  CHECK(apply_resume(p, older_resume.meta) == p);
  auto newer_resume = entry(kA, 6, Resume{});
  CHECK_FALSE(apply_resume(p, newer_resume.meta).paused);
  auto longer = entry(kA, 7, Pause{60, "still here"});
  CHECK(apply_pause(p, longer.meta, Pause{60, ""}).minutes == 60);
}

TEST_CASE("one partner's resume never ends the other's pause, and both can pause at once") {
  State s;
  s.apply(entry(kA, 1, Pause{45, "a walk"}));
  s.apply(entry(kB, 2, Pause{30, ""}));
  s.apply(entry(kB, 3, Resume{}));
  CHECK(s.pauses.at(device(kA)).paused);
  CHECK(s.pauses.at(device(kA)).minutes == 45);
  CHECK_FALSE(s.pauses.at(device(kB)).paused);
}

TEST_CASE("a partner's pause runs its minutes on the reader's clock, whatever the author's") {
  auto e = entry(kA, 1, Pause{30, ""});
  PauseView p = apply_pause({}, e.meta, Pause{30, ""});
  const int64_t hour = 3'600'000, minute = 60'000;
  const int64_t author_start = e.meta.wall_ms;
  SUBCASE("the author's clock is two hours slow: corrected by the offset") {
    const int64_t arrived = author_start + 2 * hour;
    auto w = window_of(p, PauseClock{2 * hour, arrived});
    CHECK(w.start_ms == arrived);
    CHECK(w.end_ms == arrived + 30 * minute);
    CHECK(w.active_at(arrived + 29 * minute));
  }
  SUBCASE("the author's clock is two hours fast: corrected, and never past its arrival") {
    const int64_t arrived = author_start - 2 * hour;
    CHECK(window_of(p, PauseClock{-2 * hour, arrived}).end_ms == arrived + 30 * minute);
    // Without an offset (an older peer) the arrival still caps it.
    CHECK(window_of(p, PauseClock{0, arrived}).end_ms == arrived + 30 * minute);
  }
  SUBCASE("a pause that arrives already over is over") {
    const int64_t arrived = author_start + 40 * minute;
    auto w = window_of(p, PauseClock{0, arrived});
    CHECK_FALSE(w.active_at(arrived));
  }
  SUBCASE("a resumed pause is not active") {
    auto resume = entry(kA, 2, Resume{});
    PauseView r = apply_resume(p, resume.meta);
    CHECK_FALSE(window_of(r, {}).active_at(resume.meta.wall_ms));
    CHECK_FALSE(window_of(r, {}).active_at(resume.meta.wall_ms + 60'000));
  }
}

TEST_CASE("payload limits are enforced") {
  CHECK(validate(ReflectionPut{entity(1), "ok", {}, "", {}}).is_ok());
  CHECK_FALSE(validate(ReflectionPut{entity(1), "", {}, "", {}}).is_ok());
  CHECK_FALSE(validate(ReflectionPut{entity(1), std::string(kMaxReflectionText + 1, 'a'), {}, "", {}}).is_ok());
  CHECK_FALSE(validate(ReflectionPut{entity(1), "bad \xff utf8", {}, "", {}}).is_ok());
  CHECK_FALSE(validate(ReflectionPut{entity(1), "ok", std::vector<std::string>(17, "x"), "", {}}).is_ok());
  CHECK_FALSE(validate(Pause{19, ""}).is_ok());
  CHECK(validate(Pause{20, ""}).is_ok());
  CHECK_FALSE(validate(Pause{1441, ""}).is_ok());
  CHECK_FALSE(validate(BoundaryPropose{entity(1), std::string(kMaxBoundaryText + 1, 'b'), ""}).is_ok());
}

TEST_CASE("UTF-8 validation refuses overlong forms, surrogates and NUL") {
  CHECK(is_valid_utf8("h\xc3\xa9llo \xe2\x9d\xa4 \xf0\x9f\x8c\xb1"));
  CHECK_FALSE(is_valid_utf8(std::string_view("\xc0\xaf", 2)));
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));
  CHECK_FALSE(is_valid_utf8(std::string_view("a\0b", 3)));
  CHECK_FALSE(is_valid_utf8("\xe2\x9d"));
}

TEST_CASE("UTF-8 validation finds a bad byte at any offset of a long ASCII text") {
  // ASCII runs are checked eight bytes at a time; what breaks them must be
  // seen wherever it falls in a run, and at the end of the text.
  const std::string ascii(41, 'a');
  for (size_t at = 0; at <= ascii.size(); ++at) {
    CAPTURE(at);
    auto with = [&](std::string_view piece) {
      return ascii.substr(0, at) + std::string(piece) + ascii.substr(at);
    };
    CHECK(is_valid_utf8(with("\xc3\xa9")));
    CHECK(is_valid_utf8(with("\xf0\x9f\x8c\xb1")));
    CHECK(is_valid_utf8(with("\x7f")));
    CHECK_FALSE(is_valid_utf8(with(std::string_view("\0", 1))));
    CHECK_FALSE(is_valid_utf8(with("\x80")));
    CHECK_FALSE(is_valid_utf8(with("\xff")));
    CHECK_FALSE(is_valid_utf8(with("\xed\xa0\x80")));
    CHECK_FALSE(is_valid_utf8(ascii.substr(0, at) + "\xe2\x9d"));
  }
}

TEST_CASE("a UTF-8 prefix never cuts a character in two") {
  CHECK(utf8_prefix("abc", 5) == "abc");
  CHECK(utf8_prefix("ab\xc3\xa9", 3) == "ab");
  CHECK(utf8_prefix("ab\xc3\xa9", 4) == "ab\xc3\xa9");
  CHECK(utf8_prefix("\xf0\x9f\x8c\xb1x", 2).empty());
}
