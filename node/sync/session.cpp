#include "sync/session.h"

#include <algorithm>

#include "crypto/identity.h"
#include "sync/batch.h"
#include "util/log.h"

namespace hearth::sync {
namespace {

using wire::ByeReason;

SessionEnd end(ByeReason reason, std::string detail) { return SessionEnd{reason, std::move(detail)}; }

}  // namespace

void Outbox::pong(uint64_t nonce) { send(wire::encode_peer_message(wire::Pong{nonce})); }

model::SyncFigures stored_figures(store::Store& store, store::Devices& devices) {
  // Figures for display: what does not read shows as 0 (the error is logged).
  model::SyncFigures f;
  if (auto mine = store.events().head(store.keys().self())) {
    f.my_shared_events = mine->seq;
  } else {
    log::error("sync figures: ", mine.status().to_string());
  }
  auto partner = devices.find_partner();
  if (!partner) {
    log::error("sync figures: ", partner.status().to_string());
  } else if (*partner) {
    f.partner_has_mine = (*partner)->acked_seq;
    f.partner_events_offered = (*partner)->offered_seq;
    if (auto theirs = store.events().head((*partner)->key)) {
      f.partner_events_known = theirs->seq;
    } else {
      log::error("sync figures: ", theirs.status().to_string());
    }
  }
  return f;
}

Session::Session(SessionContext context, const Key32& partner, Outbox& out)
    : c_(std::move(context)), self_(c_.store.keys().self()), partner_(partner), out_(out) {
  if (auto row = c_.devices.get(partner_)) share_from_ = std::max<uint64_t>(row->share_from, 1);
}

Result<std::vector<wire::PeerHead>> Session::my_heads() {
  std::vector<wire::PeerHead> heads;
  for (const Key32& author : {self_, partner_}) {
    HEARTH_ASSIGN_OR_RETURN(store::LogHead h, c_.store.events().head(author));
    heads.push_back({author, h.seq, h.seq ? h.id : Hash32{}});
  }
  return heads;
}

std::optional<SessionEnd> Session::start() {
  wire::Hello hello;
  auto heads = my_heads();
  if (!heads) return store_failed(heads.status());
  hello.heads = std::move(*heads);
  // The partner may read what this device shared from share_from_ on: the
  // key in use at that seq and every later one.
  const auto keys = c_.store.keys().log_keys_of(self_);
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool reaches_share_from = i + 1 == keys.size() || keys[i + 1].first > share_from_;
    if (reaches_share_from)
      hello.log_keys.push_back({keys[i].first, Secret::copy_of(keys[i].second->view())});
  }
  if (auto me = c_.devices.get(self_)) hello.name = std::string(model::utf8_prefix(me->name, wire::kMaxNameBytes));
  hello.wall_clock_ms = c_.clock_ms();
  out_.send(wire::encode_peer_message(std::move(hello)));
  return std::nullopt;
}

SessionEnd Session::store_failed(const Status& st) {
  log::error("sync: this device's store failed: ", st.to_string());
  return end(ByeReason::kInvalidBatch, "this device's store failed: " + st.message());
}

std::optional<SessionEnd> Session::on_message(ByteView message) {
  auto decoded = wire::decode_peer_message(message);
  if (!decoded) return end(ByeReason::kProtocolError, decoded.status().message());
  wire::PeerMessage& m = *decoded;
  if (!hello_received_ && !std::holds_alternative<wire::Hello>(m) &&
      !std::holds_alternative<wire::Bye>(m)) {
    return end(ByeReason::kProtocolError, "a message before Hello");
  }
  if (auto* hello = std::get_if<wire::Hello>(&m)) {
    if (hello_received_) return end(ByeReason::kProtocolError, "a second Hello");
    return on_hello(std::move(*hello));
  }
  if (auto* batch = std::get_if<wire::EventsBatch>(&m)) return on_events(std::move(*batch));
  if (auto* ack = std::get_if<wire::Ack>(&m)) return on_ack(*ack);
  if (auto* ping = std::get_if<wire::Ping>(&m)) {
    out_.pong(ping->nonce);
    return std::nullopt;
  }
  if (std::holds_alternative<wire::Pong>(m)) return std::nullopt;
  const auto& bye = std::get<wire::Bye>(m);
  return end(bye.reason, "partner said goodbye: " + std::string(wire::bye_reason_name(bye.reason)));
}

std::optional<SessionEnd> Session::on_hello(wire::Hello hello) {
  if (hello.version != wire::kPeerProtocolVersion)
    return end(ByeReason::kUnsupportedVersion, "partner speaks protocol version " +
                                                   std::to_string(hello.version));
  hello_received_ = true;
  // The offset includes half the trip's time, milliseconds on a network:
  // nothing a pause's minutes would show.
  if (hello.wall_clock_ms > 0) clock_offset_ms_ = c_.clock_ms() - hello.wall_clock_ms;
  const auto current = c_.devices.partner();
  if (!current || current->key != partner_) return end(ByeReason::kUnpaired, "not paired any more");
  auto partner_log = c_.store.events().head(partner_);
  if (!partner_log) return store_failed(partner_log.status());
  const uint64_t partner_head = partner_log->seq;
  for (const auto& k : hello.log_keys) {
    // A key for an epoch of which this device holds events must be the one
    // those events were opened with: any other would make their stored
    // bodies unreadable (PROTOCOL.md §4.2).
    if (k.first_seq <= partner_head &&
        !c_.store.keys().holds_log_key(partner_, k.first_seq, k.key)) {
      return end(ByeReason::kProtocolError,
                 "partner's log key: a key for seq " + std::to_string(k.first_seq) +
                     " on, where this device holds its events up to seq " +
                     std::to_string(partner_head) + " opened with another key (refused)");
    }
    Status st = c_.store.keys().store_log_key(c_.store.db(), partner_, k.first_seq, k.key);
    // A partner re-keys an epoch it has not written in yet when it unpairs
    // (schema/PROTOCOL.md §5.4); a key for an epoch we hold events of never changes.
    if (st.code() == Code::kRefused && k.first_seq > partner_head)
      st = c_.store.keys().replace_log_key(c_.store.db(), partner_, k.first_seq, k.key);
    if (!st.is_ok()) return end(ByeReason::kProtocolError, "partner's log key: " + st.message());
  }
  if (!hello.name.empty() && model::is_valid_utf8(hello.name)) {
    Status st = c_.devices.upsert(partner_, store::DeviceRole::kPartner, hello.name, c_.clock_ms());
    if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
  }
  // What the partner holds of each log we share; a different event at a
  // seq we both hold is a fork.
  for (const Key32& author : {self_, partner_}) sent_[author] = 0;
  for (const auto& head : hello.heads) {
    if (head.author != self_ && head.author != partner_) continue;
    auto read_mine = c_.store.events().head(head.author);
    if (!read_mine) return store_failed(read_mine.status());
    const store::LogHead& mine = *read_mine;
    if (head.seq > 0 && head.seq <= mine.seq) {
      auto stored = c_.store.events().id_at(head.author, head.seq);
      if (!stored) return store_failed(stored.status());
      const std::optional<Hash32>& id = *stored;
      if (!id || *id != head.id) {
        // The partner speaks for its own log; for this device's, its word
        // proves nothing (a fork needs two events the author signed).
        if (head.author == self_) {
          return end(ByeReason::kProtocolError, "the partner's device names another event at seq " +
                                                    std::to_string(head.seq) +
                                                    " of this device's log than it holds");
        }
        return end(ByeReason::kFork, "the partner holds a different event at seq " +
                                         std::to_string(head.seq) + " of " +
                                         crypto::short_device_id(head.author));
      }
    }
    // What the partner holds of this device's log beyond what is here, it
    // cannot have from this device: sending goes on from this device's head.
    sent_[head.author] = head.author == self_ ? std::min(head.seq, mine.seq) : head.seq;
    if (head.author == partner_) {
      partner_offered_ = std::max(partner_offered_, head.seq);
      Status st = c_.devices.record_offered(partner_, head.seq);
      if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
    }
    if (head.author == self_) {
      Status st = c_.devices.set_acked(partner_, std::min(head.seq, mine.seq));
      if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
    }
  }
  return pump();
}

std::optional<SessionEnd> Session::on_events(wire::EventsBatch batch) {
  auto verdict = accept_batch(c_.store, partner_, std::move(batch.events),
                              store::Receipt{c_.clock_ms(), clock_offset_ms_});
  if (!verdict) return store_failed(verdict.status());
  switch (verdict->kind()) {
    case Verdict::Kind::kAccepted: break;
    case Verdict::Kind::kFork: return end(ByeReason::kFork, verdict->reason());
    case Verdict::Kind::kInvalid: return end(ByeReason::kInvalidBatch, verdict->reason());
  }
  Accepted* accepted = &verdict->accepted();
  if (accepted->author == partner_) {
    partner_offered_ = std::max(partner_offered_, accepted->head_seq);
    (void)c_.devices.record_offered(partner_, accepted->head_seq);
  }
  if (sent_[accepted->author] < accepted->head_seq) sent_[accepted->author] = accepted->head_seq;
  auto heads = my_heads();
  if (!heads) return store_failed(heads.status());
  out_.send(wire::encode_peer_message(wire::Ack{std::move(*heads)}));
  if (accepted->author == partner_) {
    // The partner answered a prompt this device answered too: release our
    // key now (store/prompts.h). What fails here is retried on the next batch.
    const bool answered = std::any_of(accepted->entries.begin(), accepted->entries.end(),
                                      [](const model::Entry& e) {
                                        return std::holds_alternative<model::PromptAnswer>(e.payload);
                                      });
    if (auto published = publish(std::move(accepted->entries)); !published.is_ok())
      return store_failed(published);
    if (answered) {
      if (auto released = c_.prompts.reveal_due(partner_); !released)
        log::warn("cannot reveal an answer: ", released.status().to_string());
    }
  }
  return std::nullopt;
}

Status Session::publish(std::vector<model::Entry> entries) {
  auto is_pause = [](const model::Entry& e) {
    return std::holds_alternative<model::Pause>(e.payload) ||
           std::holds_alternative<model::Resume>(e.payload);
  };
  for (auto& e : entries)
    if (is_pause(e)) c_.updates.publish(PartnerChange{std::move(e)});
  auto partner_log = c_.store.events().head(partner_);
  // Unread, the partner's head counts as caught up: nothing is held back.
  const bool catching_up = partner_log && partner_log->seq < partner_offered_;
  for (auto& e : entries) {
    if (is_pause(e)) continue;
    if (held_.size() >= kMaxHeldChanges) release_held();
    held_.push_back(std::move(e));
  }
  if (!catching_up) release_held();
  return partner_log.status();
}

void Session::release_held() {
  std::vector<model::Entry> held;
  held.swap(held_);
  for (auto& e : held) c_.updates.publish(PartnerChange{std::move(e)});
}

void Session::stop() { release_held(); }

std::optional<SessionEnd> Session::on_ack(const wire::Ack& ack) {
  if (in_flight_ == 0) return end(ByeReason::kProtocolError, "an Ack for no batch");
  --in_flight_;
  for (const auto& head : ack.heads) {
    if (head.author != self_) continue;
    auto mine = c_.store.events().head(self_);
    if (!mine) return store_failed(mine.status());
    Status st = c_.devices.record_acked(partner_, std::min(head.seq, mine->seq));
    if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
  }
  return pump();
}

std::optional<SessionEnd> Session::on_local_change() {
  if (hello_received_) return pump();
  return std::nullopt;
}

std::optional<SessionEnd> Session::pump() {
  for (const Key32& author : {self_, partner_}) {
    while (in_flight_ < kMaxInFlight) {
      uint64_t from = sent_[author];
      auto events = c_.store.events().read_after(author, from, wire::kMaxBatchEvents,
                                                  wire::kMaxBatchBytes);
      if (!events) return store_failed(events.status());
      if (events->empty()) break;
      // The receiver verifies the last signature only: it must hold.
      if (!end_on_checked_signature(author, *events)) break;
      wire::EventsBatch batch;
      batch.events.reserve(events->size());
      for (auto& e : *events) {
        // Before share_from_ the partner has no key: the header alone keeps
        // the chain whole.
        const bool readable = author != self_ || e.seq >= share_from_;
        batch.events.push_back({std::move(e.header), std::move(e.signature),
                                e.body && readable ? std::move(*e.body) : Bytes{}});
      }
      sent_[author] = events->back().seq;
      ++in_flight_;
      out_.send(wire::encode_peer_message(std::move(batch)));
    }
  }
  return std::nullopt;
}

bool Session::end_on_checked_signature(const Key32& author,
                                       std::vector<store::StoredEvent>& events) {
  while (!events.empty()) {
    store::StoredEvent& last = events.back();
    if (last.signature_checked) return true;
    if (wire::verify_event_signature(author, last.header, last.signature)) return true;
    if (author == self_) {
      // One of this device's own, received back with a damaged signature:
      // signing its header again gives the signature it had.
      const auto signature = wire::sign_event_header(c_.store.keys().identity(), last.header);
      last.signature.assign(signature.begin(), signature.end());
      (void)c_.store.events().set_signature(last.row, last.signature);
      return true;
    }
    events.pop_back();  // the batch ends before it
  }
  if (!bad_signature_reported_) {
    bad_signature_reported_ = true;
    c_.warn(
        "events of your partner's device stored here carry signatures that do not "
        "verify; they are not sent back to it");
  }
  return false;
}

Result<model::SyncFigures> Session::read_figures() {
  model::SyncFigures f;
  HEARTH_ASSIGN_OR_RETURN(store::LogHead mine, c_.store.events().head(self_));
  f.my_shared_events = mine.seq;
  auto partner = c_.devices.get(partner_);
  if (partner) {
    f.partner_has_mine = partner->acked_seq;
  } else if (partner.status().code() != Code::kNotFound) {
    return partner.status();
  }
  HEARTH_ASSIGN_OR_RETURN(store::LogHead theirs, c_.store.events().head(partner_));
  f.partner_events_known = theirs.seq;
  f.partner_events_offered = partner_offered_;
  f.caught_up = caught_up(mine, theirs);
  return f;
}

bool Session::caught_up(const store::LogHead& mine, const store::LogHead& theirs) {
  return hello_received_ && in_flight_ == 0 && sent_[self_] >= mine.seq &&
         theirs.seq >= partner_offered_;
}

model::SyncFigures Session::progress() {
  auto f = read_figures();
  if (f) return *f;
  log::error("sync: cannot read the progress: ", f.status().to_string());
  model::SyncFigures unknown;
  unknown.partner_events_offered = partner_offered_;
  return unknown;
}

bool Session::caught_up() {
  auto mine = c_.store.events().head(self_);
  auto theirs = mine ? c_.store.events().head(partner_) : mine;
  if (theirs) return caught_up(*mine, *theirs);
  log::error("sync: cannot read the heads: ", theirs.status().to_string());
  return false;
}

}  // namespace hearth::sync
