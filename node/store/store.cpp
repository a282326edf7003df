#include "store/store.h"

#include "store/activity.h"

namespace hearth::store {

Store::Store(std::unique_ptr<Db> db, crypto::KeyMaterial keys)
    : db_(std::move(db)),
      keys_(std::move(keys)),
      events_(*db_),
      privates_(*db_, keys_),
      views_(*db_, events_, privates_),
      loader_(events_, privates_, keys_) {}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, crypto::KeyMaterial keys) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::open(path));
  std::unique_ptr<Store> store(new Store(std::move(db), std::move(keys)));
  HEARTH_TRY(store->keys_.load(*store->db_));
  HEARTH_TRY(seal_plaintext_activity(*store->db_, store->keys_));
  // This device is always a known device (EventLog::max_lamport relies on it).
  Statement& self = store->db_->prepare(
      "INSERT OR IGNORE INTO devices (device_key, role, added_ms) VALUES (?, 'self', 0)");
  self.bind(1, store->keys_.self());
  HEARTH_TRY(self.run());
  if (path != ":memory:") {
    HEARTH_ASSIGN_OR_RETURN(store->checkpointer_, Checkpointer::start(*store->db_, path));
  }
  return store;
}

}  // namespace hearth::store
