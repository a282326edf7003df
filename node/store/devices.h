// The devices table: this device, the partner, former partners; names are
// sealed with the local key (AD = "hearth/name/v1" || device key).
#pragma once

#include <optional>
#include <string>

#include "store/db.h"
#include "store/keyring.h"

namespace hearth::store {

enum class DeviceRole { kSelf, kPartner, kFormer };

struct DeviceRow {
  Key32 key{};
  DeviceRole role = DeviceRole::kSelf;
  std::string name;
  int64_t added_ms = 0;
  uint64_t acked_seq = 0;    // partner: how much of my log it acknowledged
  uint64_t offered_seq = 0;  // partner: its head seq as last announced
  // partner: the first seq of this device's log it may read
  // (schema/PROTOCOL.md §5.4); earlier events reach it without bodies, and
  // so do their log keys.
  uint64_t share_from = 1;
};

class Devices {
 public:
  Devices(Db& db, const Keyring& keys) : db_(db), keys_(keys) {}

  // Adds this device (the keyring's own key) with no name, if it is not
  // known yet.
  Status ensure_self();
  // Adds or updates a device; a name of "" keeps the stored one.
  Status upsert(const Key32& key, DeviceRole role, std::string_view name, int64_t now_ms);
  // Makes `key` the partner from now on: role partner, paired at now_ms, its
  // sharing starting at share_from, nothing acknowledged or announced yet. A
  // name of "" keeps a stored one (a former partner paired again).
  Status make_partner(const Key32& key, std::string_view name, uint64_t share_from, int64_t now_ms);
  // The partner becomes a former partner: its handshakes are refused from now on.
  Status make_former(const Key32& key);
  // kNotFound for a device not in the table.
  Result<DeviceRow> get(const Key32& key);
  // The current partner; kNotFound when this device is not paired.
  Result<DeviceRow> partner();
  // The same, with "not paired" as nullopt: any error is a failed read.
  Result<std::optional<DeviceRow>> find_partner();
  // Raises (never lowers) the partner's acknowledged / announced seq.
  Status record_acked(const Key32& partner, uint64_t seq);
  Status record_offered(const Key32& partner, uint64_t seq);
  // Sets what the partner holds of this device's log to what its Hello says,
  // lower too: a partner that lost unsynced writes in a power cut holds less
  // than it once acknowledged (received batches commit without an fsync).
  Status set_acked(const Key32& partner, uint64_t seq);

 private:
  Result<DeviceRow> read(std::string_view sql, const Key32* key, const char* missing);
  Db& db_;
  const Keyring& keys_;
};

}  // namespace hearth::store
