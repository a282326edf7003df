// The opened store of an unlocked daemon: the database, the keys, and the
// table modules over them (one class per table or group of tables, each with
// its own SQL). Owns them; has no behaviour of its own.
#pragma once

#include <memory>

#include "store/activity.h"
#include "store/archive.h"
#include "store/arrivals.h"
#include "store/authors.h"
#include "store/checkpointer.h"
#include "store/config.h"
#include "store/devices.h"
#include "store/entries.h"
#include "store/event_log.h"
#include "store/keyring.h"
#include "store/peer_addresses.h"
#include "store/private_log.h"
#include "store/views.h"

namespace hearth::store {

class Store {
 public:
  // Opens (and migrates) the database at `path` and loads the log keys. A
  // file store checkpoints on a thread of its own (store/checkpointer.h).
  static Result<std::unique_ptr<Store>> open(const std::string& path, crypto::KeyMaterial keys);

  Db& db() { return *db_; }
  Keyring& keys() { return keys_; }
  Authors& authors() { return authors_; }
  // This device's number in `authors`, taken when the store opened (rows
  // there are only ever added, so it holds for as long as the store is open).
  int64_t self_author() const { return self_author_; }
  EventLog& events() { return events_; }
  PrivateLog& privates() { return privates_; }
  Views& views() { return views_; }
  Arrivals& arrivals() { return arrivals_; }
  Archive& archive() { return archive_; }
  EntryLoader& loader() { return loader_; }
  Devices& devices() { return devices_; }
  PeerAddresses& addresses() { return addresses_; }
  Config& config() { return config_; }
  Activity& activity() { return activity_; }
  // Null for ":memory:".
  const Checkpointer* checkpointer() const { return checkpointer_.get(); }

  // Drops and recomputes every view from the log and the private entries,
  // in one transaction. Local facts (store/arrivals.h) are kept.
  Status rebuild_views();

 private:
  Store(std::unique_ptr<Db> db, crypto::KeyMaterial keys);
  std::unique_ptr<Db> db_;
  Keyring keys_;
  Authors authors_;
  int64_t self_author_ = Authors::kNone;
  EventLog events_;
  PrivateLog privates_;
  Views views_;
  Arrivals arrivals_;
  Archive archive_;
  EntryLoader loader_;
  Devices devices_;
  PeerAddresses addresses_;
  Config config_;
  Activity activity_;
  std::unique_ptr<Checkpointer> checkpointer_;  // after db_: stops before it closes
};

}  // namespace hearth::store
