#include "store/peer_addresses.h"

#include <algorithm>

namespace hearth::store {

Status PeerAddresses::add(std::string_view address, std::string_view source, int64_t now_ms) {
  Query st = db_.prepare(
      "INSERT INTO peer_addresses (address, source, added_ms) VALUES (?, ?, ?)"
      " ON CONFLICT (address) DO NOTHING");
  st.bind_text(1, address).bind_text(2, source).bind(3, now_ms);
  return st.run();
}

Status PeerAddresses::remove(std::string_view address) {
  Query st = db_.prepare("DELETE FROM peer_addresses WHERE address = ?");
  st.bind_text(1, address);
  HEARTH_TRY(st.run());
  if (db_.changes() == 0)
    return Status::not_found("no address " + std::string(address) + " is known");
  return Status::ok();
}

Result<std::vector<PeerAddressRow>> PeerAddresses::list() {
  Query st = db_.prepare(
      "SELECT address, source, added_ms FROM peer_addresses ORDER BY added_ms, address");
  std::vector<PeerAddressRow> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    out.push_back({std::string(row->text(0)), std::string(row->text(1)), row->int64(2)});
  }
  return out;
}

Result<bool> PeerAddresses::set_discovered(std::string_view address, int64_t now_ms,
                                           const std::vector<std::string>& keep) {
  HEARTH_ASSIGN_OR_RETURN(std::vector<PeerAddressRow> rows, list());
  for (const PeerAddressRow& row : rows) {
    if (row.source != "discovery" || row.address == address) continue;
    if (std::find(keep.begin(), keep.end(), row.address) != keep.end()) continue;
    Query drop = db_.prepare("DELETE FROM peer_addresses WHERE address = ?");
    drop.bind_text(1, row.address);
    HEARTH_TRY(drop.run());
  }
  Query st = db_.prepare(
      "INSERT INTO peer_addresses (address, source, added_ms) VALUES (?, 'discovery', ?)"
      " ON CONFLICT (address) DO NOTHING");
  st.bind_text(1, address).bind(2, now_ms);
  HEARTH_TRY(st.run());
  return db_.changes() > 0;
}

Status PeerAddresses::remove_all() { return db_.exec("DELETE FROM peer_addresses"); }

}  // namespace hearth::store
