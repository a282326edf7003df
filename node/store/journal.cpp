#include "store/journal.h"

#include <chrono>

#include "util/log.h"
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
  HEARTH_TRY(store_.views().apply(entry));
  HEARTH_TRY(tx.commit());
  if (visibility == Visibility::kShared && listener_) listener_(entry.meta);
  return entry.meta;
}

Status Journal::rebuild_views() {
  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, store_.db().begin());
  HEARTH_TRY(store_.views().clear());
  // Shared events, every author, in row order; rows whose words were
  // forgotten have no payload and no effect (their forget event has).
  int64_t after = 0;
  for (;;) {
    Statement& st = store_.db().prepare(
        "SELECT row_id FROM events WHERE row_id > ? AND body IS NOT NULL ORDER BY row_id LIMIT 512");
    st.bind(1, after);
    HEARTH_ASSIGN_OR_RETURN(std::vector<int64_t> rows, st.all_int64());
    if (rows.empty()) break;
    for (int64_t row : rows) {
      auto e = store_.loader().load({model::EntryRef::Source::kShared, row});
      if (!e.is_ok() && e.status().code() != Code::kIo) {
        // Words that do not open here cannot shape the views; the rest can.
        log::warn("rebuild: event row ", row, " left out: ", e.status().to_string());
        continue;
      }
      HEARTH_TRY(e.status());
      HEARTH_TRY(store_.views().apply(*e));
    }
    after = rows.back();
  }
  HEARTH_ASSIGN_OR_RETURN(std::vector<int64_t> private_rows, store_.privates().all_rows());
  for (int64_t row : private_rows) {
    // A row may already be gone: a forget applied above deleted it.
    auto e = store_.privates().load(row);
    if (!e.is_ok() && e.status().code() == Code::kNotFound) continue;
    if (!e.is_ok()) return e.status();
    HEARTH_TRY(store_.views().apply(*e));
  }
  return tx.commit();
}

}  // namespace hearth::store
