#include "store/store.h"

#include "util/log.h"

namespace hearth::store {

Store::Store(std::unique_ptr<Db> db, crypto::KeyMaterial keys)
    : db_(std::move(db)),
      keys_(std::move(keys)),
      authors_(*db_),
      events_(*db_, authors_),
      privates_(*db_, keys_),
      views_(*db_, authors_, events_, privates_),
      arrivals_(*db_, views_, keys_.self()),
      archive_(*db_, authors_),
      loader_(events_, privates_, keys_),
      devices_(*db_, keys_),
      addresses_(*db_),
      config_(*db_),
      activity_(*db_, keys_) {}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, crypto::KeyMaterial keys) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::open(path));
  std::unique_ptr<Store> store(new Store(std::move(db), std::move(keys)));
  HEARTH_TRY(store->keys_.load(*store->db_));
  HEARTH_TRY(seal_plaintext_activity(*store->db_, store->keys_));
  // This device is always a known device, and an author.
  HEARTH_TRY(store->devices_.ensure_self());
  HEARTH_ASSIGN_OR_RETURN(store->self_author_, store->authors_.add(store->keys_.self()));
  // A migration that changed the shape of a view asks for a rebuild (the
  // words it needs are sealed, out of SQL's reach).
  HEARTH_ASSIGN_OR_RETURN(
      const int64_t rebuild,
      store->db_->prepare("SELECT count(*) FROM store_flags WHERE name = 'rebuild-views'")
          .single_int64());
  if (rebuild != 0) {
    HEARTH_TRY(store->rebuild_views());
    HEARTH_TRY(store->db_->exec("DELETE FROM store_flags WHERE name = 'rebuild-views'"));
  }
  if (path != ":memory:") {
    HEARTH_ASSIGN_OR_RETURN(store->checkpointer_, Checkpointer::start(*store->db_, path));
  }
  return store;
}

Status Store::rebuild_views() {
  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, db_->begin());
  HEARTH_TRY(views_.clear());
  // Shared events, every author, in row order; rows whose words were
  // forgotten have no payload and no effect (their forget event has).
  int64_t after = 0;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(std::vector<int64_t> rows, events_.rows_with_body_after(after, 512));
    if (rows.empty()) break;
    for (int64_t row : rows) {
      auto e = loader_.load({model::EntryRef::Source::kShared, row});
      if (!e.is_ok() && e.status().code() != Code::kIo) {
        // Words that do not open here cannot shape the views; the rest can.
        log::warn("rebuild: event row ", row, " left out: ", e.status().to_string());
        continue;
      }
      HEARTH_TRY(e.status());
      HEARTH_TRY(views_.apply(*e));
    }
    after = rows.back();
  }
  HEARTH_ASSIGN_OR_RETURN(std::vector<int64_t> private_rows, privates_.all_rows());
  for (int64_t row : private_rows) {
    // A row may already be gone: a forget applied above deleted it.
    auto e = privates_.load(row);
    if (!e.is_ok() && e.status().code() == Code::kNotFound) continue;
    if (!e.is_ok()) return e.status();
    HEARTH_TRY(views_.apply(*e));
  }
  return tx.commit();
}

}  // namespace hearth::store
