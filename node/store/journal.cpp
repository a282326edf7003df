#include "store/journal.h"

#include <chrono>

#include "wire/event_codec.h"

namespace hearth::store {

int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<model::Entry> Journal::write_one(const model::Payload& payload, Visibility visibility) {
  HEARTH_TRY(model::validate(payload));
  if (visibility == Visibility::kPrivate && !model::may_be_private(payload))
    return Status::invalid("boundaries and pauses are always shared with your partner");
  if (visibility == Visibility::kShared && !model::may_be_shared(payload))
    return Status::invalid("an answer's key stays on this device until it is revealed");

  // A failed read fails the write: a guessed lamport would break the log's
  // order, and the partner would refuse it (PROTOCOL.md §4.3).
  HEARTH_ASSIGN_OR_RETURN(const uint64_t newest, store_.events().max_lamport());
  const uint64_t lamport = newest + 1;
  if (lamport > wire::kMaxCounter) return Status::internal("the lamport clock is exhausted");
  const int64_t wall = clock_();
  model::Entry entry;
  entry.payload = payload;
  if (visibility == Visibility::kPrivate) {
    HEARTH_ASSIGN_OR_RETURN(int64_t row, store_.privates().insert(payload, lamport, wall));
    entry.meta.order = {lamport, store_.keys().self()};
    entry.meta.wall_ms = wall;
    entry.meta.ref = {model::EntryRef::Source::kPrivate, row};
  } else {
    const Key32& self = store_.keys().self();
    HEARTH_ASSIGN_OR_RETURN(LogHead head, store_.events().head(self));
    wire::SealedEvent event =
        wire::seal_event(store_.keys().identity(), store_.keys().own_log_key(), head.seq + 1,
                         head.id, lamport, wall, payload);
    HEARTH_ASSIGN_OR_RETURN(int64_t row, store_.events().insert(event, true));
    entry.meta = event_meta(event.header, event.id, row);
  }
  if (std::holds_alternative<model::Pause>(payload)) {
    // A new pause: what waited for an earlier one was shown when that ended.
    // Extending a pause still running keeps holding what arrived in it.
    HEARTH_ASSIGN_OR_RETURN(bool extending, store_.arrivals().own_pause_active(wall));
    if (!extending) HEARTH_TRY(store_.arrivals().clear_held());
  }
  HEARTH_TRY(store_.views().apply(entry));
  return entry;
}

Result<model::EntryMeta> Journal::write(const model::Payload& payload, Visibility visibility) {
  HEARTH_ASSIGN_OR_RETURN(std::vector<model::EntryMeta> metas,
                          write_all({Write{payload, visibility}}));
  return metas.front();
}

Result<std::vector<model::EntryMeta>> Journal::write_all(const std::vector<Write>& writes) {
  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, store_.db().begin());
  std::vector<model::EntryMeta> metas;
  bool shared = false;
  for (const Write& w : writes) {
    HEARTH_ASSIGN_OR_RETURN(model::Entry e, write_one(w.payload, w.visibility));
    shared = shared || w.visibility == Visibility::kShared;
    metas.push_back(e.meta);
  }
  HEARTH_TRY(tx.commit());
  if (shared && listener_) {
    for (size_t i = 0; i < writes.size(); ++i)
      if (writes[i].visibility == Visibility::kShared) listener_(metas[i]);
  }
  return metas;
}

Status Journal::rebuild_views() { return store_.rebuild_views(); }

}  // namespace hearth::store
