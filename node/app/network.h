// The sync layer as the rest of the daemon sees it: the narrow interfaces
// that `status` and the partner/network control requests use. Implemented by
// net::SyncService; used on the io thread only.
#pragma once

#include <cstdint>
#include <string>

namespace hearth::app {

enum class ConnectionState { kOffline, kConnecting, kConnected };
// "offline" | "connecting" | "connected" (control.capnp PartnerInfo.connection).
const char* connection_state_name(ConnectionState state);

// Sync figures for the author's own view (DESIGN.md §1.3).
struct SyncFigures {
  uint64_t my_shared_events = 0;        // events in my log
  uint64_t partner_has_mine = 0;        // acknowledged by the partner
  uint64_t partner_events_known = 0;    // partner events stored here
  uint64_t partner_events_offered = 0;  // partner's head as last announced
  bool caught_up = false;               // connected, and nothing left to send or receive
};

// What `hearth status` shows about the network.
class NetworkStatus {
 public:
  virtual ~NetworkStatus() = default;
  virtual ConnectionState connection_state() const = 0;
  // From the live session, else from what the store remembers (never caught up).
  virtual SyncFigures progress() = 0;
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
};

}  // namespace hearth::app
