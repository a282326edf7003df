// The view tables, kept by the model's pure reducers one entity at a time:
// load the entity's state, apply, save. Callers hold the transaction that
// also stores the entry, so views never disagree with the log.
#pragma once

#include "model/state.h"
#include "store/db.h"
#include "store/event_log.h"
#include "store/private_log.h"

namespace hearth::store {

class Views {
 public:
  Views(Db& db, EventLog& events, PrivateLog& privates)
      : db_(db), events_(events), privates_(privates) {}

  // Applies an entry already stored. A forget (or a put for a forgotten
  // reflection) also drops the words: event bodies become NULL and private
  // rows are deleted.
  Status apply(const model::Entry& entry);
  // Empties every view table (before a rebuild).
  Status clear();

  // Reads one entity's state back (also used by tests and queries).
  Result<model::ReflectionView> reflection(const model::ReflectionKey& key);
  Result<model::BoundaryFacts> boundary_facts(const model::EntityId& id);
  Result<model::PauseView> pause();

 private:
  Status apply_put(const model::EntryMeta& m, const model::ReflectionPut& p);
  Status apply_forget(const model::EntryMeta& m, const model::ReflectionForget& p);
  Status save_reflection(const model::ReflectionKey& key, const model::ReflectionView& v);
  Status add_boundary_fact(const model::EntityId& id, const model::EntryMeta& m, int kind,
                           const model::EventId* revision, int response);
  Status apply_check_in(const model::EntryMeta& m, const model::CheckIn& p);
  Status save_pause(const model::PauseView& v);
  Status drop_words(const model::EntryRef& ref);

  Db& db_;
  EventLog& events_;
  PrivateLog& privates_;
};

}  // namespace hearth::store
