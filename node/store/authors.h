// The authors table: the device key of every author whose events or entries
// this store holds, each with a small number. Every other table that names
// an author (the events and the views) holds that number, one or two bytes
// on disk, where the key would take 32 in each row and in each index over it.
// Rows are only ever added, so a number, once committed, names its key for
// good; the numbers are this store's own and never leave it.
#pragma once

#include <utility>
#include <vector>

#include "store/db.h"

namespace hearth::store {

class Authors {
 public:
  explicit Authors(Db& db) : db_(db) {}

  // The number of `key`, adding it if it is new. Callers that write hold
  // the transaction; a rollback of it takes a new number back.
  Result<int64_t> add(const Key32& key);
  // The number of `key`, or kNone if no row of this store names it: bound in
  // a query, kNone matches no row. Adds nothing (for reads).
  static constexpr int64_t kNone = 0;
  Result<int64_t> find(const Key32& key);
  // The key numbered `id`; kCorrupt if none is (a row naming no author).
  Result<Key32> key_of(int64_t id);

 private:
  // Forgets what was learned before the last rollback.
  void check_rollbacks();
  void remember(const Key32& key, int64_t id);

  Db& db_;
  // The few authors of a store (this device, its partners), as learned.
  std::vector<std::pair<Key32, int64_t>> known_;
  uint64_t rollbacks_seen_ = 0;
};

}  // namespace hearth::store
