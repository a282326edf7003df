// Sync with the partner's device: the listener's connections, dialing with
// backoff, and the one live session (schema/PROTOCOL.md §3.3, §3.5, §3.6).
//
// - At most one live link. A link this device dialed counts once its
//   handshake completes; one the partner dialed once its first transport
//   message opened (a recorded handshake replayed by anyone never counts).
//   When a second one counts, the link whose dialer has the smaller Ed25519
//   device key is kept (the newer one if both were dialed by the same
//   device) and the other is closed with Bye{duplicateConnection}; both
//   devices apply the same rule.
// - A session handshake's timestamp must be newer than the last accepted
//   from the partner (store/handshake_clock.h); this device's own are
//   recorded before they are sent.
// - While paired, not connected and an address is known, each address is
//   dialed in turn; after a round of failures, or a session that did not
//   last `stable_session`, the next round waits out a Backoff. Adding an
//   address, pairing and start() dial at once. An address LAN discovery
//   found that never worked is dialed at most every kNewAddressDialInterval
//   (a forwarded beacon cannot make this device dial anywhere at will).
// - Connections from the listener wait for their prelude (at most
//   `first_bytes`) and their handshake in a PendingPool: at most
//   kMaxPendingPerSource from one source and kMaxPendingInbound in all, the
//   oldest closed to make room for a new one, so a flood of silent
//   connections never keeps the partner out. A connection whose prelude says
//   pairing (0x02) leaves the pool for the pairing handler's own; a session
//   handshake is answered only for the partner.
// - Refusals go to the activity log through a RefusalLog (per source and
//   window, in their own bucket).
// - partner_changed() (paired, unpaired): a link or handshake with a device
//   that is no longer the partner ends at once without a Bye; unpairing is
//   silent.
// - The journal's listener is routed to the live session (a new shared event
//   is pushed at once); ConnectionChange goes to the update hub; connects,
//   disconnects, refusals and refused batches go to the activity log.
//
// Single-threaded: the daemon's io thread. Created by create(); every
// coroutine it starts holds a shared_ptr to it. The Unlocked state and the
// update hub must outlive the io_context's pending work.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "runtime/daemon_state.h"
#include "runtime/network.h"
#include "net/backoff.h"
#include "proto/handshake.h"
#include "net/peer_link.h"
#include "net/spawn.h"
#include "net/pending_pool.h"
#include "net/refusal_log.h"

namespace hearth::net {

struct SyncOptions {
  LinkTimings link;
  std::string listening;  // shown by `status`; empty: not listening
  // A session at least this long resets the backoff.
  std::chrono::milliseconds stable_session{10'000};
  // A connection from the listener must send its prelude within this.
  std::chrono::milliseconds first_bytes{2'000};
  // Refusals are summed up over windows this long (net/refusal_log.h).
  std::chrono::milliseconds refusal_window{60'000};
};

// Two links with the partner, one live and one new: true if the new one is
// kept. The kept link is the one whose dialer has the smaller device key;
// the newer one if the same device dialed both (the older is likely dead).
bool keep_new_link(const Key32& self, const Key32& partner, bool new_we_dialed,
                   bool live_we_dialed);

class SyncService : public runtime::NetworkControl, public std::enable_shared_from_this<SyncService> {
 public:
  // Connections from the listener waiting for their prelude or handshake:
  // in all, and from one source (see above).
  static constexpr size_t kMaxPendingInbound = 16;
  static constexpr size_t kMaxPendingPerSource = 4;
  // A discovered address that never worked is dialed at most this often.
  static constexpr std::chrono::seconds kNewAddressDialInterval{30};
  // An address whose session ended less than this ago "worked recently".
  static constexpr std::chrono::minutes kWorkedRecently{10};

  static std::shared_ptr<SyncService> create(asio::any_io_executor executor,
                                             runtime::Unlocked& unlocked, sync::UpdateHub& updates,
                                             SyncOptions options = {});

  // Takes the journal's listener and starts dialing. Call once.
  void start();
  // A connection from the listener: answered if it is the partner. One whose
  // prelude says pairing goes to the pairing handler (closed if none is set).
  void accept(asio::ip::tcp::socket socket);
  void set_pairing_handler(std::function<void(asio::ip::tcp::socket)> handler) {
    pairing_handler_ = std::move(handler);
  }
  // Says Bye{shuttingDown} on the live link, stops dialing and accepting,
  // and calls `done` (once, on the io thread) when the link has closed or
  // its time to flush has passed.
  void stop(std::function<void()> done);
  // Ends at once every coroutine this service runs (dials, handshakes, the
  // link), without a word to the partner: after stop() has finished, when
  // the daemon locks. Once they have unwound, nothing refers to this service.
  void cancel_pending() { tasks_.cancel_all(); }

  // runtime::NetworkControl
  runtime::ConnectionState connection_state() const override;
  model::SyncFigures progress() override;
  std::string listening() const override { return options_.listening; }
  // Where hearthd listens changed (net/listen_control.h).
  void set_listening(std::string listening) { options_.listening = std::move(listening); }
  void reconnect_now() override;
  runtime::AddressState address_state(const std::string& address) const override;
  bool worked_recently(const std::string& address) const override;
  void partner_changed() override;
  // Whether this device dialed the live link; nullopt when not connected.
  std::optional<bool> live_we_dialed() const;

 private:
  SyncService(asio::any_io_executor executor, runtime::Unlocked& unlocked, sync::UpdateHub& updates,
              SyncOptions options);
  void spawn(asio::awaitable<void> task, const char* what);
  asio::awaitable<void> dial_loop();
  asio::awaitable<bool> dial(Key32 partner, std::string address);
  asio::awaitable<void> inbound(asio::ip::tcp::socket socket);
  std::shared_ptr<PeerLink> make_link(asio::ip::tcp::socket socket, proto::Authenticated auth,
                                      bool we_dialed, std::string remote);
  // A link that counts (see above): kept as the live one or closed.
  void adopt(const std::shared_ptr<PeerLink>& link);
  void install(const std::shared_ptr<PeerLink>& link);
  asio::awaitable<void> run_link(std::shared_ptr<PeerLink> link);
  void link_ended(const std::shared_ptr<PeerLink>& link, const LinkEnd& end);
  void finish_stop();
  // A connection from `source` refused: to the activity log, as a
  // RefusalLog lets it.
  void record_refusal(const std::string& source, const std::string& message);
  void flush_refusals();
  // True if `peer` is still the partner; a link or handshake with any other
  // device is dropped.
  bool is_partner(const Key32& peer);

  asio::any_io_executor executor_;
  TaskGroup tasks_;  // every coroutine it starts
  runtime::Unlocked& u_;
  sync::UpdateHub& updates_;
  SyncOptions options_;
  std::shared_ptr<PeerLink> live_;
  std::weak_ptr<PeerLink> unproven_;  // a link the partner dialed, not proven yet
  std::map<std::string, runtime::AddressState> addresses_;
  struct AddressHistory {
    std::chrono::steady_clock::time_point worked{};  // last session opened by dialing it
    std::chrono::steady_clock::time_point dialed{};  // last dial
    bool ever_worked = false;
  };
  std::map<std::string, AddressHistory> history_;
  PendingPool pending_{kMaxPendingPerSource, kMaxPendingInbound};
  RefusalLog refusals_;
  asio::steady_timer refusal_timer_;
  Backoff backoff_;
  std::chrono::steady_clock::time_point next_round_{};
  bool poked_ = false;
  bool dialing_ = false;
  bool started_ = false;
  bool stopped_ = false;
  asio::steady_timer wake_;  // the dial loop sleeps on it
  asio::steady_timer stop_guard_;
  std::function<void()> stop_done_;
  std::function<void(asio::ip::tcp::socket)> pairing_handler_;
};

}  // namespace hearth::net
