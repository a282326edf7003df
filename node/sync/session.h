// One sync session with the partner, after the Noise handshake: the Hello /
// Events / Ack exchange of schema/PROTOCOL.md §4, independent of sockets and
// timers.
//
// The net layer feeds it every application message received and sends
// whatever it puts in the Outbox; it also sends Pings and watches timeouts.
// Single-threaded (the daemon's io thread). The Session must not outlive the
// Unlocked state it was given.
#pragma once

#include <map>
#include <optional>

#include "app/daemon_state.h"
#include "wire/peer_codec.h"

namespace hearth::sync {

class Outbox {
 public:
  virtual ~Outbox() = default;
  // One encoded peer message to send, in order.
  virtual void send(Bytes message) = 0;
  // Answers a Ping. An Outbox may answer only the latest of several Pings
  // that arrive before it sends (PROTOCOL.md §3.5), and in any order with
  // the other messages.
  virtual void pong(uint64_t nonce);
};

// Why a session must end: the net layer sends Bye{reason, detail} and closes.
struct SessionEnd {
  wire::ByeReason reason = wire::ByeReason::kNormal;
  std::string detail;  // Hearth's words only; goes to the activity log
};

struct Progress {
  uint64_t my_head = 0;          // events in my log
  uint64_t partner_has_mine = 0; // acknowledged by the partner
  uint64_t partner_known = 0;    // partner events stored here
  uint64_t partner_offered = 0;  // partner's head as announced
  bool hello_received = false;
  bool caught_up = false;
};

class Session {
 public:
  // At most this many Events batches sent and not yet acknowledged.
  static constexpr int kMaxInFlight = 4;
  // Partner changes held back during a catch-up: about 4 batches' worth, a
  // few MiB at most; more are published in order without waiting.
  static constexpr size_t kMaxHeldChanges = 4096;

  Session(app::Unlocked& unlocked, app::UpdateHub& updates, const Key32& partner, Outbox& out);

  // Sends our Hello. Call once, right after the handshake.
  void start();
  // Handles one application message from the partner. nullopt: carry on.
  // A value: the session is over; nothing of a refused batch was stored.
  std::optional<SessionEnd> on_message(ByteView message);
  // This device committed a new shared event: send it now if we can.
  void on_local_change();
  // The connection ended: publishes the partner changes still held back.
  void stop();

  Progress progress();
  bool caught_up();

 private:
  std::optional<SessionEnd> on_hello(wire::Hello hello);
  std::optional<SessionEnd> on_events(wire::EventsBatch batch);
  std::optional<SessionEnd> on_ack(const wire::Ack& ack);
  std::vector<wire::PeerHead> my_heads();
  void pump();
  // Cuts `events` (of `author`, read to send) so the last one's signature
  // holds, checking unchecked ones; this device's own are signed again.
  // false if none is left.
  bool end_on_checked_signature(const Key32& author, std::vector<store::StoredEvent>& events);
  // Publishes a committed batch of the partner's changes to `watch`.
  void publish(std::vector<model::Entry> entries);
  void release_held();

  app::Unlocked& u_;
  app::UpdateHub& updates_;
  Key32 self_;
  Key32 partner_;
  Outbox& out_;
  bool hello_received_ = false;
  int in_flight_ = 0;
  std::map<Key32, uint64_t> sent_;  // per author: highest seq sent (or known held) by the partner
  uint64_t partner_offered_ = 0;
  // This device's clock minus the partner's, from its Hello (0: not given):
  // a partner's pause runs on this device's clock (model/pause.h).
  int64_t clock_offset_ms_ = 0;
  // The first seq of this device's log the partner may read
  // (schema/PROTOCOL.md §5.4): earlier events go without bodies, earlier
  // log keys not at all.
  uint64_t share_from_ = 1;
  // While catching up on the partner's log, its pauses and resumes are
  // published as they arrive and its other changes are held back (up to
  // kMaxHeldChanges), so that `watch` shows a pause first (docs/DESIGN.md §5.5).
  std::vector<model::Entry> held_;
  bool bad_signature_reported_ = false;
};

}  // namespace hearth::sync
