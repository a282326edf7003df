// One sync session with the partner, after the Noise handshake: the Hello /
// Events / Ack exchange of schema/PROTOCOL.md §4, independent of sockets and
// timers.
//
// The net layer feeds it every application message received and sends
// whatever it puts in the Outbox; it also sends Pings and watches timeouts.
// Single-threaded (the daemon's io thread). The Session must not outlive the
// store and the rest of its SessionContext.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "model/sync_figures.h"
#include "store/devices.h"
#include "store/prompts.h"
#include "store/store.h"
#include "sync/updates.h"
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

// What a session works on. Every reference must outlive the session.
struct SessionContext {
  store::Store& store;      // the logs, the keys, the views
  store::Devices& devices;  // the partner's row: acknowledged and announced seqs, name
  store::Prompts& prompts;  // releases this device's answers once the partner's arrive
  std::function<int64_t()> clock_ms;  // this device's clock, ms since the Unix epoch
  UpdateHub& updates;                 // the partner's changes, for `watch`
  // A warning for the activity log (`hearth log`), in Hearth's words.
  std::function<void(const std::string&)> warn;
};

// The figures as the store remembers them, without a session: the partner's
// acknowledged and announced seqs, never caught up.
model::SyncFigures stored_figures(store::Store& store, store::Devices& devices);

class Session {
 public:
  // At most this many Events batches sent and not yet acknowledged.
  static constexpr int kMaxInFlight = 4;
  // Partner changes held back during a catch-up: about 4 batches' worth, a
  // few MiB at most; more are published in order without waiting.
  static constexpr size_t kMaxHeldChanges = 4096;

  Session(SessionContext context, const Key32& partner, Outbox& out);

  // Sends our Hello. Call once, right after the handshake. A value: the
  // session is over before it began (this device's store failed).
  std::optional<SessionEnd> start();
  // Handles one application message from the partner. nullopt: carry on.
  // A value: the session is over; nothing of a refused batch was stored.
  std::optional<SessionEnd> on_message(ByteView message);
  // This device committed a new shared event: send it now if we can. A
  // value: the session is over (this device's store failed).
  std::optional<SessionEnd> on_local_change();
  // The connection ended: publishes the partner changes still held back.
  void stop();

  // The figures as this session knows them; until the partner's Hello
  // arrived, stored_figures() says more (hello_received()).
  model::SyncFigures progress();
  bool hello_received() const { return hello_received_; }
  bool caught_up();

 private:
  Result<model::SyncFigures> read_figures();
  bool caught_up(const store::LogHead& mine, const store::LogHead& theirs);
  // Ends the session when this device's own store fails (logged).
  SessionEnd store_failed(const Status& st);
  std::optional<SessionEnd> on_hello(wire::Hello hello);
  std::optional<SessionEnd> on_events(wire::EventsBatch batch);
  std::optional<SessionEnd> on_ack(const wire::Ack& ack);
  Result<std::vector<wire::PeerHead>> my_heads();
  std::optional<SessionEnd> pump();
  // Cuts `events` (of `author`, read to send) so the last one's signature
  // holds, checking unchecked ones; this device's own are signed again.
  // false if none is left.
  bool end_on_checked_signature(const Key32& author, std::vector<store::StoredEvent>& events);
  // Publishes a committed batch of the partner's changes to `watch`.
  // A failed Status: the partner's head could not be read (all was published).
  Status publish(std::vector<model::Entry> entries);
  void release_held();

  SessionContext c_;
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
