#include "store/authors.h"

namespace hearth::store {

void Authors::check_rollbacks() {
  if (db_.rollbacks() == rollbacks_seen_) return;
  known_.clear();
  rollbacks_seen_ = db_.rollbacks();
}

void Authors::remember(const Key32& key, int64_t id) { known_.emplace_back(key, id); }

Result<int64_t> Authors::find(const Key32& key) {
  check_rollbacks();
  for (const auto& [k, id] : known_)
    if (k == key) return id;
  Query st = db_.prepare("SELECT id FROM authors WHERE key = ?");
  st.bind(1, key);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) return kNone;
  const int64_t id = st.int64(0);
  remember(key, id);
  return id;
}

Result<int64_t> Authors::add(const Key32& key) {
  HEARTH_ASSIGN_OR_RETURN(int64_t id, find(key));
  if (id != kNone) return id;
  Query st = db_.prepare("INSERT INTO authors (key) VALUES (?)");
  st.bind(1, key);
  HEARTH_TRY(st.run());
  id = db_.last_insert_rowid();
  remember(key, id);
  return id;
}

Result<Key32> Authors::key_of(int64_t id) {
  check_rollbacks();
  for (const auto& [k, known] : known_)
    if (known == id) return k;
  Query st = db_.prepare("SELECT key FROM authors WHERE id = ?");
  st.bind(1, id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found || st.blob(0).size() != 32) return Status::corrupt("a stored row names no author");
  const Key32 key = to_array<32>(st.blob(0));
  remember(key, id);
  return key;
}

}  // namespace hearth::store
