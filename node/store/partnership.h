// Pairing and unpairing as store updates (schema/PROTOCOL.md §5.4), each one
// transaction.
//
// Epochs: this device's log is cut into epochs, one log key each. A partner
// may read this device's events from `share_from` on, the first seq of the
// epoch current when it was paired (1 for a first partner); earlier events
// reach it without bodies, and earlier log keys never. Unpairing starts a new
// epoch at head + 1, so nothing written after it opens with a key a former
// partner holds.
#pragma once

#include <string>

#include "store/devices.h"
#include "store/store.h"

namespace hearth::store {

struct NewPartner {
  Key32 key{};
  std::string name;            // "" keeps a stored one
  std::string address;         // normalized (net::Address::text()); "" for none
  std::string address_source;  // "manual" | "pairing"
  // Whether what this device shared while unpaired goes to this partner
  // (docs/DESIGN.md §1.7, §7.3). It does only when its author says so.
  bool send_earlier = false;
};

// Makes p.key the partner and adds its address. Its sharing starts at this
// device's current epoch when p.send_earlier; otherwise a new epoch starts
// first, so that nothing shared while unpaired reaches it (an epoch with no
// entry yet is kept). If p.key already is the partner, only the name and
// address are added. Returns true when the device became the partner now.
// kRefused: another device is the partner, or p.key is this device's own key.
Result<bool> pair_partner(Store& store, const NewPartner& p, int64_t now_ms);

struct UnpairSummary {
  DeviceRow former;             // as it was before the unpair
  uint64_t erased_entries = 0;  // erase_shared: shared entries erased here
  // Entries of this device's that the former partner acknowledged (a
  // reflection, a check-in, a boundary this device spoke on): what its
  // device keeps.
  uint64_t partner_holds = 0;
  uint64_t new_epoch = 0;  // the first seq of this device's new log key
};

// Ends the partnership: the partner becomes a former partner (its handshakes
// are refused from now on), every address is forgotten and a new epoch
// starts. With erase_shared, every shared entry is erased from this device
// as well: other devices' events and log keys are deleted, and this device's
// own events keep only their headers (no words), so its log stays one hash
// chain for a later partner. Private entries stay, except the private drafts
// of a reflection that was shared. kRefused when not paired.
Result<UnpairSummary> unpair(Store& store, bool erase_shared);

// This device's entries (reflections, check-ins, boundaries) in its current
// epoch: while unpaired, what it shared since the last pairing ended (or
// since it was set up), which waits for the author's word at the next pairing.
Result<uint64_t> shared_while_unpaired(Store& store);

}  // namespace hearth::store
