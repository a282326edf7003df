#include "store/archive.h"

namespace hearth::store {

Status Archive::set(ArchiveKind kind, const model::DeviceKey& author, const model::EntityId& id,
                    bool archived, int64_t now_ms) {
  if (archived) {
    HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.add(author));
    Query st = db_.prepare(
        "INSERT OR IGNORE INTO archived (kind, author, entity_id, at_ms) VALUES (?, ?, ?, ?)");
    st.bind(1, static_cast<int>(kind)).bind(2, a).bind(3, id).bind(4, now_ms);
    return st.run();
  }
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  Query st =
      db_.prepare("DELETE FROM archived WHERE kind = ? AND author = ? AND entity_id = ?");
  st.bind(1, static_cast<int>(kind)).bind(2, a).bind(3, id);
  return st.run();
}

}  // namespace hearth::store
