#include "store/devices.h"

namespace hearth::store {
namespace {

Bytes name_ad(const Key32& key) {
  Bytes ad;
  append(ad, std::string_view("hearth/name/v1"));
  append(ad, key);
  return ad;
}

const char* role_text(DeviceRole r) {
  switch (r) {
    case DeviceRole::kSelf: return "self";
    case DeviceRole::kPartner: return "partner";
    case DeviceRole::kFormer: return "former";
  }
  return "former";
}

DeviceRole role_of(std::string_view t) {
  if (t == "self") return DeviceRole::kSelf;
  if (t == "partner") return DeviceRole::kPartner;
  return DeviceRole::kFormer;
}

}  // namespace

Status Devices::ensure_self() {
  Query st =
      db_.prepare("INSERT OR IGNORE INTO devices (device_key, role, added_ms) VALUES (?, 'self', 0)");
  st.bind(1, ByteView(keys_.self()));
  return st.run();
}

Status Devices::upsert(const Key32& key, DeviceRole role, std::string_view name, int64_t now_ms) {
  Query st = db_.prepare(
      "INSERT INTO devices (device_key, role, name_sealed, added_ms) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (device_key) DO UPDATE SET role = excluded.role,"
      " name_sealed = coalesce(excluded.name_sealed, name_sealed)");
  st.bind(1, key).bind_text(2, role_text(role));
  if (name.empty()) {
    st.bind_null(3);
  } else {
    st.bind(3, keys_.seal_local(as_bytes(name), name_ad(key)));
  }
  st.bind(4, now_ms);
  return st.run();
}

Status Devices::make_partner(const Key32& key, std::string_view name, uint64_t share_from,
                             int64_t now_ms) {
  Query st = db_.prepare(
      "INSERT INTO devices (device_key, role, name_sealed, added_ms, share_from)"
      " VALUES (?, 'partner', ?, ?, ?)"
      " ON CONFLICT (device_key) DO UPDATE SET role = 'partner',"
      " name_sealed = coalesce(excluded.name_sealed, name_sealed), added_ms = excluded.added_ms,"
      " acked_seq = 0, offered_seq = 0, share_from = excluded.share_from");
  st.bind(1, key);
  if (name.empty()) {
    st.bind_null(2);
  } else {
    st.bind(2, keys_.seal_local(as_bytes(name), name_ad(key)));
  }
  st.bind(3, now_ms).bind(4, static_cast<int64_t>(share_from));
  return st.run();
}

Status Devices::make_former(const Key32& key) {
  Query st =
      db_.prepare("UPDATE devices SET role = 'former' WHERE device_key = ? AND role = 'partner'");
  st.bind(1, key);
  HEARTH_TRY(st.run());
  if (db_.changes() == 0) return Status::not_found("that device is not the partner");
  return Status::ok();
}

Result<DeviceRow> Devices::read(std::string_view sql, const Key32* key, const char* missing) {
  Query st = db_.prepare(sql);
  if (key) st.bind(1, *key);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) return Status::not_found(missing);
  DeviceRow d;
  d.key = to_array<32>(st.blob(0));
  d.role = role_of(st.text(1));
  if (!st.is_null(2)) {
    auto name = keys_.open_local(st.blob(2), name_ad(d.key));
    if (name.is_ok()) d.name = std::string(name->chars());
  }
  d.added_ms = st.int64(3);
  d.acked_seq = static_cast<uint64_t>(st.int64(4));
  d.offered_seq = static_cast<uint64_t>(st.int64(5));
  d.share_from = static_cast<uint64_t>(st.int64(6));
  return d;
}

Result<DeviceRow> Devices::get(const Key32& key) {
  return read(
      "SELECT device_key, role, name_sealed, added_ms, acked_seq, offered_seq, share_from"
      " FROM devices"
      " WHERE device_key = ?",
      &key, "no such device");
}

Result<DeviceRow> Devices::partner() {
  return read(
      "SELECT device_key, role, name_sealed, added_ms, acked_seq, offered_seq, share_from"
      " FROM devices"
      " WHERE role = 'partner' ORDER BY added_ms DESC LIMIT 1",
      nullptr, "this device is not paired");
}

Result<std::optional<DeviceRow>> Devices::find_partner() {
  auto p = partner();
  if (p.is_ok()) return std::optional<DeviceRow>(std::move(*p));
  if (p.status().code() == Code::kNotFound) return std::optional<DeviceRow>();
  return p.status();
}

Status Devices::record_acked(const Key32& partner, uint64_t seq) {
  Query st = db_.prepare(
      "UPDATE devices SET acked_seq = max(acked_seq, ?) WHERE device_key = ?");
  st.bind(1, static_cast<int64_t>(seq)).bind(2, partner);
  return st.run();
}

Status Devices::set_acked(const Key32& partner, uint64_t seq) {
  Query st = db_.prepare("UPDATE devices SET acked_seq = ? WHERE device_key = ?");
  st.bind(1, static_cast<int64_t>(seq)).bind(2, partner);
  return st.run();
}

Status Devices::record_offered(const Key32& partner, uint64_t seq) {
  Query st = db_.prepare(
      "UPDATE devices SET offered_seq = max(offered_seq, ?) WHERE device_key = ?");
  st.bind(1, static_cast<int64_t>(seq)).bind(2, partner);
  return st.run();
}

}  // namespace hearth::store
