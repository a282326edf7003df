// The sync layer as the rest of the daemon sees it: the narrow interfaces
// that `status` and the partner/network control requests use. Implemented by
// net::SyncService; used on the io thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "model/sync_figures.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::runtime {

enum class ConnectionState { kOffline, kConnecting, kConnected };
// "offline" | "connecting" | "connected" (control.capnp PartnerInfo.connection).
const char* connection_state_name(ConnectionState state);

// What `hearth status` shows about the network.
class NetworkStatus {
 public:
  virtual ~NetworkStatus() = default;
  virtual ConnectionState connection_state() const = 0;
  // From the live session, else from what the store remembers (never caught up).
  virtual model::SyncFigures progress() = 0;
  // HOST:PORT this daemon listens on, or empty.
  virtual std::string listening() const = 0;
};

// How dialing one address goes.
struct AddressState {
  std::string state = "idle";  // "connected" | "connecting" | "idle"
  std::string last_error;      // the last failure, empty after a success
};

// What the partner and network requests may ask of the sync layer.
class NetworkControl : public NetworkStatus {
 public:
  // The partner or the addresses changed: dial now, without waiting out a backoff.
  virtual void reconnect_now() = 0;
  virtual AddressState address_state(const std::string& address) const = 0;
  // Whether a session with the partner was opened by dialing `address`
  // lately (it is live, or it ended minutes ago): an address discovery
  // must not replace.
  virtual bool worked_recently(const std::string& address) const {
    (void)address;
    return false;
  }
  // The partner changed (paired, unpaired): a link with a device that is no
  // longer the partner ends at once, without a word to it; then as
  // reconnect_now().
  virtual void partner_changed() { reconnect_now(); }
};

// A pairing by code that completed (schema/PROTOCOL.md §5.2).
struct PairedPartner {
  Key32 device_key{};
  std::string name;
  std::string confirmation;  // the phrase both devices show
};

// What an open invite tells the `hearth pair invite` waiting on it.
struct InviteEvents {
  // A joiner used a wrong code (or gave up) and the invite goes on.
  std::function<void(int attempts_left)> on_failed_attempt;
  // Once: paired, or the invite ended (expired, attempts used up, refused).
  std::function<void(Result<PairedPartner>)> on_done;
  // Whether what this device shared while unpaired goes to the partner who
  // joins (store::NewPartner::send_earlier).
  bool send_earlier = false;
  // At once, in Hearth's words: an attempt starts (with the joiner's
  // address), or a joiner was turned away without using an attempt.
  std::function<void(const std::string& notice)> on_notice = nullptr;
};

struct InviteTicket {
  uint64_t id = 0;  // for cancel_invite
  std::string code;
  int64_t expires_at_ms = 0;
  int attempts = 0;  // how many attempts it allows
};

// Code pairing as the control requests see it. Callbacks run on the io thread.
class PairingControl {
 public:
  virtual ~PairingControl() = default;
  // Opens the invite (one at a time). kRefused: paired already, another
  // invite or a join in progress, or not listening.
  virtual Result<InviteTicket> invite(InviteEvents events) = 0;
  // The client went away: the invite `id` ends without calling it back (no-op
  // if it already ended).
  virtual void cancel_invite(uint64_t id) = 0;
  // Joins the invite at `address` with `code` (as typed); `done` is called
  // once with the partner or why not. send_earlier: as in InviteEvents.
  virtual void join(std::string code, std::string address, bool send_earlier,
                    std::function<void(Result<PairedPartner>)> done) = 0;
};

// LAN discovery as the control requests see it.
class DiscoveryControl {
 public:
  virtual ~DiscoveryControl() = default;
  // The partner or the `discovery` setting changed: beacons follow (the
  // first one at once when discovery is on and a partner is paired).
  virtual void refresh() = 0;
};

}  // namespace hearth::runtime
