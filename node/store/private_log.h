// Private entries: reflections and check-ins that never leave this device
// (docs/DESIGN.md §1.1, §4.6). Each row is a Payload sealed with the local key,
// AD = "hearth/private/v1" || entry_id. Callers hold the transaction.
#pragma once

#include "model/entry.h"
#include "store/db.h"
#include "store/keyring.h"

namespace hearth::store {

// "hearth/private/v1" || entry_id: the AD of a private entry's sealed Payload
// (schema/PROTOCOL.md §6).
Bytes private_entry_ad(ByteView entry_id);

class PrivateLog {
 public:
  PrivateLog(Db& db, const Keyring& keys) : db_(db), keys_(keys) {}

  // Seals and stores; returns the row.
  Result<int64_t> insert(const model::Payload& payload, uint64_t lamport, int64_t wall_ms);
  Result<model::Entry> load(int64_t row);
  // Deletes the row; secure_delete zeroes the freed page content.
  Status remove(int64_t row);
  // Every row, oldest lamport first (for rebuilding views).
  Result<std::vector<int64_t>> all_rows();

 private:
  Db& db_;
  const Keyring& keys_;
};

}  // namespace hearth::store
