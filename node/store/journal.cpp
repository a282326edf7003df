#include "store/journal.h"

#include <chrono>

#include "wire/event_codec.h"

namespace hearth::store {

int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<model::EntryMeta> Journal::write(const model::Payload& payload, Visibility visibility) {
  HEARTH_TRY(model::validate(payload));
  if (visibility == Visibility::kPrivate && !model::may_be_private(payload))
    return Status::invalid("boundaries and pauses are always shared with your partner");
  if (visibility == Visibility::kShared && !model::may_be_shared(payload))
    return Status::invalid("an answer's key stays on this device until it is revealed");

  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, store_.db().begin());
  const uint64_t lamport = store_.events().max_lamport() + 1;
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
    LogHead head = store_.events().head(self);
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
  HEARTH_TRY(tx.commit());
  if (visibility == Visibility::kShared && listener_) listener_(entry.meta);
  return entry.meta;
}

Status Journal::rebuild_views() { return store_.rebuild_views(); }

}  // namespace hearth::store
