// Prompts answered blind between two devices (docs/DESIGN.md §5.6,
// schema/PROTOCOL.md §2.4): an answer cannot be read on the other device
// until both have answered; reveals count only from the answer's author;
// answers are never changed; a pass reveals nothing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "two_devices.h"
#include "wire/answer_seal.h"

using namespace hearth;
using hearth::test::Device;
using hearth::test::sync_pair;

namespace {

const model::PromptKey kPrompt{"again-001", {}};

Bytes hex(const std::string& text) {
  Bytes out;
  REQUIRE(from_hex(text, out));
  return out;
}

struct Couple {
  Device a, b;
  Couple() {
    a.pair_with(b);
    b.pair_with(a);
  }
  // Syncs until nothing more moves (an answer can call for a reveal).
  void settle() {
    for (int i = 0; i < 4; ++i) REQUIRE_FALSE(sync_pair(a, b));
  }
  store::PromptItem item(Device& d, const model::PromptKey& key = kPrompt) {
    Device& other = &d == &a ? b : a;
    auto it = d.u->prompts.item(key, other.self());
    REQUIRE(it.is_ok());
    return std::move(it).value();
  }
  model::EntityId answer(Device& d, const std::string& text, const model::PromptKey& key = kPrompt) {
    Device& other = &d == &a ? b : a;
    auto id = d.u->prompts.answer(key, {text, model::Choice::kNone}, "", other.self());
    REQUIRE(id.is_ok());
    return *id;
  }
};

}  // namespace

TEST_CASE("a partner's answer cannot be read until both have answered, then both read both") {
  Couple c;
  c.answer(c.a, "a walk by the river");
  c.settle();
  auto on_b = c.item(c.b);
  CHECK(on_b.status == model::PromptStatus::kWaitingForMe);
  REQUIRE(on_b.partner);
  CHECK_FALSE(on_b.partner->revealed);
  CHECK_FALSE(on_b.partner->words);
  // b's store holds the answer only sealed: no row of b's database holds the words.
  CHECK(test::dump_rows(c.b.u->store->db(), {"SELECT hex(body) FROM events"})
            .find(to_hex(ByteView(reinterpret_cast<const uint8_t*>("river"), 5))) ==
        std::string::npos);

  c.answer(c.b, "cooking together");
  c.settle();
  for (Device* d : {&c.a, &c.b}) {
    auto item = c.item(*d);
    CHECK(item.status == model::PromptStatus::kBothAnswered);
    REQUIRE(item.partner);
    REQUIRE(item.partner->words);
    REQUIRE(item.mine->words);
  }
  CHECK(c.item(c.a).partner->words->text == "cooking together");
  CHECK(c.item(c.b).partner->words->text == "a walk by the river");
}

TEST_CASE("an answer is never changed: a second one is refused, and one written anyway is ignored") {
  Couple c;
  c.answer(c.a, "first words");
  auto again = c.a.u->prompts.answer(kPrompt, {"other words", model::Choice::kNone}, "", c.b.self());
  CHECK(again.status().code() == Code::kRefused);
  // A modified client writes a second answer straight into its log.
  auto sealed = wire::seal_answer(test::random_id(), {"sneaky rewrite", model::Choice::kNone});
  c.a.write(model::PromptAnswer{"again-001", test::random_id(), {}, sealed.sealed});
  c.answer(c.b, "b's words");
  c.settle();
  auto on_b = c.item(c.b);
  REQUIRE(on_b.partner);
  REQUIRE(on_b.partner->words);
  CHECK(on_b.partner->words->text == "first words");
}

TEST_CASE("a reveal counts only from the answer's author, and only with the key that opens it") {
  Couple c;
  const model::EntityId a_answer = c.answer(c.a, "only after you");
  c.settle();
  // b's modified client "reveals" a's answer with a key it made up.
  model::AnswerReveal forged{a_answer, {}};
  forged.key.fill(7);
  c.b.write(forged);
  c.settle();
  auto on_b = c.item(c.b);
  CHECK_FALSE(on_b.partner->revealed);
  CHECK_FALSE(on_b.partner->words);
  // a's modified client reveals with a wrong key: revealed, but nothing opens.
  model::AnswerReveal wrong{a_answer, {}};
  wrong.key.fill(9);
  c.a.write(wrong);
  c.settle();
  on_b = c.item(c.b);
  CHECK(on_b.partner->revealed);
  CHECK_FALSE(on_b.partner->words);
}

TEST_CASE("a pass reveals nothing, and an author may reveal early by choice") {
  Couple c;
  c.answer(c.a, "my words");
  c.settle();
  REQUIRE(c.b.u->prompts.pass(kPrompt).is_ok());
  c.settle();
  auto on_b = c.item(c.b);
  CHECK(on_b.i_passed);
  CHECK_FALSE(on_b.partner->words);
  CHECK(c.item(c.a).partner_passed);
  REQUIRE(c.a.u->prompts.reveal_now(kPrompt).is_ok());
  c.settle();
  on_b = c.item(c.b);
  REQUIRE(on_b.partner->words);
  CHECK(on_b.partner->words->text == "my words");
}

TEST_CASE("today's prompt is the same on both devices, and another on the next day") {
  Couple c;
  auto a1 = c.a.u->prompts.today(c.b.self(), "2026-12-06", 2);
  auto b1 = c.b.u->prompts.today(c.a.self(), "2026-12-06", 2);
  REQUIRE(a1.is_ok());
  REQUIRE(b1.is_ok());
  REQUIRE(*a1);
  CHECK(**a1 == **b1);
  int differs = 0;
  for (const char* day : {"2026-12-07", "2026-12-08", "2026-12-09"}) {
    auto next = c.a.u->prompts.today(c.b.self(), day, 2);
    REQUIRE(next.is_ok());
    if (**next != **a1) ++differs;
  }
  CHECK(differs >= 2);
  // Once both answered it, it is not today's again.
  const model::PromptKey today{**a1, {}};
  c.answer(c.a, "x", today);
  c.answer(c.b, "y", today);
  c.settle();
  auto after = c.a.u->prompts.today(c.b.self(), "2026-12-06", 2);
  CHECK(**after != **a1);
}

TEST_CASE("sealed answers match the known-answer vectors, open, and refuse altered bytes") {
  std::ifstream in(std::string(HEARTH_SCHEMA_VECTORS_DIR) + "/sealed-answer.json");
  REQUIRE(in);
  const auto doc = nlohmann::json::parse(in);
  REQUIRE(doc["vectors"].size() >= 2);
  for (const auto& v : doc["vectors"]) {
    const Bytes id_bytes = hex(v["answer_id"].get<std::string>());
    model::EntityId id{};
    std::copy(id_bytes.begin(), id_bytes.end(), id.begin());
    const Secret key = Secret::copy_of(std::string_view(v["key_ascii"].get<std::string>()));
    const Bytes nonce = hex(v["nonce"].get<std::string>());
    const std::string choice = v["choice"].get<std::string>();
    const model::Choice c = choice == "yes"   ? model::Choice::kYes
                            : choice == "no"  ? model::Choice::kNo
                            : choice == "maybe" ? model::Choice::kMaybe
                                                : model::Choice::kNone;
    const Bytes expected = hex(v["sealed"].get<std::string>());
    CHECK(wire::seal_answer_with(id, {v["text"].get<std::string>(), c}, key, nonce) == expected);
    auto opened = wire::open_answer(id, key, expected);
    REQUIRE(opened.is_ok());
    CHECK(opened->text == v["text"].get<std::string>());
    CHECK(opened->choice == c);
    for (size_t at : {size_t{0}, size_t{30}, expected.size() - 1}) {
      Bytes altered = expected;
      altered[at] ^= 1;
      CHECK(wire::open_answer(id, key, altered).status().code() == Code::kAuthFailed);
    }
    model::EntityId other = id;
    other[0] ^= 1;
    CHECK(wire::open_answer(other, key, expected).status().code() == Code::kAuthFailed);
  }
}
