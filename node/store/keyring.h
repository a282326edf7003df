// The unlocked keys of a running daemon: this device's identity and local
// key, and every log key that opens event bodies (own and partner's).
//
// Log keys are kept in the store's log_keys table sealed with the local key.
// The key file's log key seeds this device's first epoch (seq >= 1) on first
// start; from then on the table is authoritative. A later key of an author
// (an epoch, started by an unpair) applies from its first_seq on. An epoch
// that no event uses yet may be re-keyed (schema/PROTOCOL.md §5.4): even the
// first, when this device unpairs before writing any shared event.
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "crypto/keyfile.h"
#include "store/db.h"

namespace hearth::store {

class Keyring {
 public:
  explicit Keyring(crypto::KeyMaterial keys);

  const crypto::DeviceIdentity& identity() const { return keys_.identity; }
  const Key32& self() const { return keys_.identity.public_key(); }
  const Secret& local_key() const { return keys_.local_key; }

  // Loads the sealed log keys from the store, and records the key file's log
  // key there if this device has no first key yet (first start). Also
  // re-reads them after a transaction that changed them committed.
  Status load(Db& db);
  // Seals and stores a log key (e.g. the partner's, received in a session).
  // Replacing an existing (author, first_seq) with a different key is refused.
  Status store_log_key(Db& db, const Key32& author, uint64_t first_seq, const Secret& key);
  // Stores `key` for (author, first_seq), replacing a different one. Only for
  // an epoch of which no event is stored (the caller checks).
  Status replace_log_key(Db& db, const Key32& author, uint64_t first_seq, const Secret& key);

  // Epoch changes inside the caller's transaction: they change the table
  // only; call load() once it committed (nothing changes here if it does not).
  //   write_new_epoch: a fresh random key for this device's events from
  //     first_seq on (at least the current epoch's first seq; an epoch
  //     starting there, which no event uses yet, is re-keyed).
  //   delete_other_log_keys: every log key of other devices.
  Status write_new_epoch(Db& db, uint64_t first_seq) const;
  Status delete_other_log_keys(Db& db) const;

  // Whether `key` is the one held for exactly (author, first_seq).
  bool holds_log_key(const Key32& author, uint64_t first_seq, const Secret& key) const;
  // The key that opens `author`'s body at `seq`, or nullptr if none is known.
  const Secret* log_key_for(const Key32& author, uint64_t seq) const;
  // Every log key of `author` with the seq it starts at, oldest first.
  std::vector<std::pair<uint64_t, const Secret*>> log_keys_of(const Key32& author) const;
  // This device's current log key and the seq it starts at.
  const Secret& own_log_key() const;
  uint64_t own_log_key_first_seq() const;

  Bytes seal_local(ByteView plain, ByteView ad) const;
  Result<Secret> open_local(ByteView sealed, ByteView ad) const;

 private:
  crypto::KeyMaterial keys_;
  std::map<std::pair<Key32, uint64_t>, Secret> log_keys_;
};

}  // namespace hearth::store
