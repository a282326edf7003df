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
};

class Devices {
 public:
  Devices(Db& db, const Keyring& keys) : db_(db), keys_(keys) {}

  // Adds or updates a device; a name of "" keeps the stored one.
  Status upsert(const Key32& key, DeviceRole role, std::string_view name, int64_t now_ms);
  std::optional<DeviceRow> get(const Key32& key);
  std::optional<DeviceRow> partner();
  // Raises (never lowers) the partner's acknowledged / announced seq.
  Status record_acked(const Key32& partner, uint64_t seq);
  Status record_offered(const Key32& partner, uint64_t seq);

 private:
  std::optional<DeviceRow> read(const char* sql, const Key32* key);
  Db& db_;
  const Keyring& keys_;
};

}  // namespace hearth::store
