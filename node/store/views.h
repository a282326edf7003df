// The view tables, kept by the model's pure reducers one entity at a time:
// load the entity's state, apply, save. Callers hold the transaction that
// also stores the entry, so views never disagree with the log. Rows name
// authors by number (store/authors.h).
#pragma once

#include <set>

#include "model/state.h"
#include "store/db.h"
#include "store/event_log.h"
#include "store/private_log.h"

namespace hearth::store {

class Views {
 public:
  Views(Db& db, Authors& authors, EventLog& events, PrivateLog& privates)
      : db_(db), authors_(authors), events_(events), privates_(privates) {}

  // Applies an entry already stored. A forget (or a put for a forgotten
  // reflection) also drops the words: event bodies become NULL and private
  // rows are deleted.
  Status apply(const model::Entry& entry);
  // Empties every view table (before a rebuild).
  Status clear();

  // Reads one entity's state back (also used by tests and queries).
  Result<model::ReflectionView> reflection(const model::ReflectionKey& key);
  Result<model::BoundaryFacts> boundary_facts(const model::EntityId& id);
  Result<model::CheckInView> check_in(const model::CheckInKey& key);
  // One author's pause (default: never paused).
  Result<model::PauseView> pause(const model::DeviceKey& author);
  // Everything stated about one prompt (or one round's item).
  Result<model::PromptFacts> prompt_facts(const model::PromptKey& key);
  // The author's own reveal of their answer, if any.
  Result<std::optional<model::RevealFact>> reveal(const model::RevealKey& key);
  // Everything stated about one practice session.
  Result<model::PracticeFacts> practice_facts(const model::EntityId& session_id);
  // Who agreed to go on to `stage` of `practice`.
  Result<std::set<model::DeviceKey>> stage_agreed(std::string_view practice, uint8_t stage);
  // The private entry holding this device's key for its answer, if any.
  Result<std::optional<model::EntryRef>> answer_key(const model::EntityId& answer_id);

 private:
  Status apply_put(const model::EntryMeta& m, const model::ReflectionPut& p);
  Status apply_forget(const model::EntryMeta& m, const model::ReflectionForget& p);
  Status save_reflection(int64_t author, const model::EntityId& id, const model::ReflectionView& v);
  // One row of boundary_facts; -1 or 0 leaves a column NULL.
  struct FactRow {
    int kind = 0;                              // 0 propose, 1 respond, 2 withdraw, 3 drop
    const model::EventId* revision = nullptr;  // propose, respond, drop
    int response = -1;                         // respond
    int boundary_kind = -1;                    // propose
    int64_t ask_again_after_ms = 0;            // respond
  };
  Status add_boundary_fact(const model::EntityId& id, const model::EntryMeta& m,
                           const FactRow& f);
  Status apply_check_in(const model::EntryMeta& m, const model::CheckIn& p);
  Status apply_check_in_forget(const model::EntryMeta& m, const model::CheckInForget& p);
  Status save_check_in(int64_t author, const model::EntityId& id, const model::CheckInView& v);
  // The state of one reflection or check-in of the author numbered `author`.
  Result<model::ReflectionView> reflection(int64_t author, const model::EntityId& id);
  Result<model::CheckInView> check_in(int64_t author, const model::CheckInKey& key);
  Status apply_pause(const model::EntryMeta& m, const model::Pause* pause);
  // One row of prompt_facts (store/sql/06-*.sql).
  Status add_prompt_fact(const model::EntryMeta& m, int kind, std::string_view prompt_id,
                         ByteView round, ByteView answer_id);
  Status add_answer_key(const model::EntryMeta& m, const model::AnswerKey& k);
  Status add_need_reply(const model::EntryMeta& m, const model::NeedReply& r);
  Status add_practice_fact(const model::EntryMeta& m, int kind, ByteView session_id,
                           std::string_view practice, int stage, int capacity);
  Status save_pause(int64_t author, const model::PauseView& v);
  // The order (lamport, author) of a row whose author column is `author`.
  Result<model::Order> order_of(int64_t lamport, int64_t author);
  Status drop_words(const model::EntryRef& ref);

  Db& db_;
  Authors& authors_;
  EventLog& events_;
  PrivateLog& privates_;
};

}  // namespace hearth::store
