// Prompts answered blind (docs/DESIGN.md §5.6): asked questions, sealed
// answers, reveals, passes and yes / no / maybe rounds, as sets of facts whose
// meaning does not depend on the order they arrive in. Pure.
//
// An answer is never changed: each author's first answer to a prompt (by
// (lamport, author)) is theirs, later ones are ignored. A reveal counts only
// from the answer's own author (reveals are kept by their author, and looked
// up by the answer's). Whether a revealed key really opens the answer is
// checked when it is read (store/reader.h), not here.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/entry.h"

namespace hearth::model {

// A prompt, or one item of one yes / no / maybe round.
struct PromptKey {
  std::string prompt_id;
  Bytes round;  // empty, or the round's 16-byte ID
  auto operator<=>(const PromptKey&) const = default;
};

struct AnswerFact {
  EntityId answer_id{};
  Order order;  // order.author answered
  int64_t wall_ms = 0;
  EntryRef ref;
  bool operator==(const AnswerFact&) const = default;
  std::strong_ordering operator<=>(const AnswerFact& o) const {
    return std::tie(order, answer_id, wall_ms, ref) <=>
           std::tie(o.order, o.answer_id, o.wall_ms, o.ref);
  }
};
struct PassFact {
  Order order;  // order.author passed
  int64_t wall_ms = 0;
  EntryRef ref;
  auto operator<=>(const PassFact&) const = default;
};

struct PromptFacts {
  std::vector<AnswerFact> answers;  // in order
  std::vector<PassFact> passes;     // in order
  void add(const AnswerFact& f);
  void add(const PassFact& f);
  // The author's answer: their first. nullptr: none.
  const AnswerFact* answer_of(const DeviceKey& author) const;
  bool passed_by(const DeviceKey& author) const;
  bool operator==(const PromptFacts&) const = default;
};

// Reveals, by (author, answer ID): only the author's own reveal of their own
// answer is ever looked up.
struct RevealKey {
  DeviceKey author{};
  EntityId answer_id{};
  auto operator<=>(const RevealKey&) const = default;
};
struct RevealFact {
  Order order;
  EntryRef ref;  // the AnswerReveal event (its body holds the key)
  auto operator<=>(const RevealFact&) const = default;
};
RevealFact apply_reveal(const std::optional<RevealFact>& current, const RevealFact& f);

// An asked prompt, or a yes / no / maybe round: the first statement counts.
struct StatedFact {
  Order order;
  int64_t wall_ms = 0;
  EntryRef ref;
  auto operator<=>(const StatedFact&) const = default;
};
StatedFact first_of(const std::optional<StatedFact>& current, const StatedFact& f);

// Where a prompt stands for one reader.
enum class PromptStatus : uint8_t {
  kOpen = 0,              // nobody answered yet
  kWaitingForMe = 1,      // my partner answered
  kWaitingForPartner = 2, // I answered
  kBothAnswered = 3,
};
const char* prompt_status_name(PromptStatus s);  // "open", "waiting_for_you", ...
PromptStatus status_of(const PromptFacts& facts, const DeviceKey& me, const DeviceKey& partner);

}  // namespace hearth::model
