// The peer_addresses table: where to dial the partner. Addresses are stored
// in their normalized text form (net::Address::text()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace hearth::store {

struct PeerAddressRow {
  std::string address;
  std::string source;  // "manual" | "pairing" | "discovery"
  int64_t added_ms = 0;
};

class PeerAddresses {
 public:
  explicit PeerAddresses(Db& db) : db_(db) {}

  // Adds an address; one already there keeps its source and time.
  Status add(std::string_view address, std::string_view source, int64_t now_ms);
  // kNotFound if the address is not there.
  Status remove(std::string_view address);
  // Oldest first: the order in which they are dialed.
  Result<std::vector<PeerAddressRow>> list();
  // Records where LAN discovery last found the partner: `address` replaces
  // the older discovery addresses except those in `keep` (addresses that
  // worked recently: a beacon's source is only a hint); one written by hand
  // or by pairing stays as it is. Returns true if the address was not known
  // before.
  Result<bool> set_discovered(std::string_view address, int64_t now_ms,
                              const std::vector<std::string>& keep = {});
  // Forgets every address (unpairing).
  Status remove_all();

 private:
  Db& db_;
};

}  // namespace hearth::store
