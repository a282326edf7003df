// Prompts answered blind (docs/DESIGN.md §5.6, PROTOCOL.md §2.4): asking,
// answering, passing, revealing, and reading where each prompt stands.
//
// The blind reveal: an answer is sealed with a fresh key (wire/answer_seal.h)
// and shared; the key stays on its author's device as a private AnswerKey.
// This device releases its key (AnswerReveal) by itself once it holds the
// partner's answer to the same prompt (and round): reveal_due(). So neither
// partner can read the other's answer before their own is written in their
// signed log, and neither can change an answer after: a second answer is
// refused here and ignored by every device (model/prompt.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/prompt.h"
#include "store/journal.h"
#include "wire/answer_seal.h"

namespace hearth::store {

// One partner's answer as this device can show it.
struct AnswerView {
  model::DeviceKey author{};
  model::EntityId answer_id{};
  int64_t at_ms = 0;
  bool revealed = false;  // its author released the key
  // Readable here: one's own always, the partner's once revealed (and only
  // if the released key really opens it).
  std::optional<wire::AnswerWords> words;
  std::string note;  // one's own yes / no / maybe note; never sent
};

struct PromptItem {
  model::PromptKey key;
  std::string text;   // the deck's words, or the asker's
  uint8_t depth = 0;  // 1..3; 0 for a yes / no / maybe item
  std::string deck;   // the deck's ID; "" for an asked prompt
  std::string group;  // a yes / no / maybe item's group
  std::optional<model::DeviceKey> asked_by;
  model::PromptStatus status = model::PromptStatus::kOpen;
  std::optional<AnswerView> mine;
  std::optional<AnswerView> partner;
  bool i_passed = false;
  bool partner_passed = false;
  int64_t updated_ms = 0;  // the latest statement about it
};

struct Round {
  model::EntityId id{};
  int64_t started_ms = 0;
  model::DeviceKey started_by{};
};

class Prompts {
 public:
  Prompts(Store& store, Journal& journal) : store_(store), journal_(journal) {}

  // A prompt by ID (built-in or asked), and its answers as far as they can
  // be read here. kNotFound for an ID nobody asked and no deck holds.
  Result<PromptItem> item(const model::PromptKey& key, const model::DeviceKey& partner);
  // Every prompt with something said about it (asked, answered, passed),
  // newest first; yes / no / maybe items excluded.
  Result<std::vector<PromptItem>> active(const model::DeviceKey& partner);

  // Asks a question of one's own; returns its prompt ID.
  Result<std::string> ask(std::string_view text, uint8_t depth);
  // Seals and writes this device's answer with its private key, then
  // reveals it at once if the partner has answered. kRefused: already
  // answered (an answer is never changed) or passed.
  Result<model::EntityId> answer(const model::PromptKey& key, const wire::AnswerWords& words,
                                 std::string_view note, const model::DeviceKey& partner);
  Status pass(const model::PromptKey& key);
  // Releases this device's key for its answer to `key` now, by choice.
  Status reveal_now(const model::PromptKey& key);
  // Releases the key of every answer of this device's whose prompt the
  // partner has answered too; returns how many were released.
  Result<int> reveal_due(const model::DeviceKey& partner);

  // The prompt of the day for this pair: chosen from the question decks'
  // prompts of at most `max_depth`, leaving out those both answered or
  // either passed, by a hash of the pair, the local date "YYYY-MM-DD" and
  // the depth: the same on both devices, another the next day. nullopt when
  // none is left.
  Result<std::optional<std::string>> today(const model::DeviceKey& partner,
                                           std::string_view local_date, uint8_t max_depth);

  // The prompt an answer belongs to; nullopt for an answer not stored here.
  Result<std::optional<model::PromptKey>> prompt_of_answer(const model::EntityId& answer_id);

  // Yes / no / maybe rounds, newest first; start_round() begins a new one.
  Result<std::vector<Round>> rounds();
  Result<model::EntityId> start_round();

 private:
  Result<AnswerView> read_answer(const model::AnswerFact& fact, bool mine);
  Result<std::optional<model::EntryRef>> own_key(const model::EntityId& answer_id);

  Store& store_;
  Journal& journal_;
};

}  // namespace hearth::store
