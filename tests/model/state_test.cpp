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
  h.push_back(entry(kA, 14, Pause{30, "air"}));
  h.push_back(entry(kB, 15, Resume{}));
  h.push_back(entry(kB, 15 + 1, Pause{20, ""}));
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
  CHECK(s.check_ins.size() == 2);
  CHECK(s.pause.paused);
  CHECK(s.pause.minutes == 20);
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

TEST_CASE("a pause is active until its minutes run out, and the latest pause or resume wins") {
  PauseView p;
  auto e = entry(kA, 5, Pause{20, ""});
  p = apply_pause(p, e.meta, Pause{20, ""});
  CHECK(p.active_at(e.meta.wall_ms + 19 * 60'000));
  CHECK_FALSE(p.active_at(e.meta.wall_ms + 20 * 60'000));
  auto older_resume = entry(kB, 4, Resume{});
  CHECK(apply_resume(p, older_resume.meta) == p);
  auto newer_resume = entry(kB, 6, Resume{});
  CHECK_FALSE(apply_resume(p, newer_resume.meta).paused);
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
