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

Session::Session(app::Unlocked& unlocked, app::UpdateHub& updates, const Key32& partner,
                 Outbox& out)
    : u_(unlocked),
      updates_(updates),
      self_(unlocked.store->keys().self()),
      partner_(partner),
      out_(out) {
  if (auto row = u_.devices.get(partner_)) share_from_ = std::max<uint64_t>(row->share_from, 1);
}

std::vector<wire::PeerHead> Session::my_heads() {
  std::vector<wire::PeerHead> heads;
  for (const Key32& author : {self_, partner_}) {
    store::LogHead h = u_.store->events().head(author);
    heads.push_back({author, h.seq, h.seq ? h.id : Hash32{}});
  }
  return heads;
}

void Session::start() {
  wire::Hello hello;
  hello.heads = my_heads();
  // The partner may read what this device shared from share_from_ on: the
  // key in use at that seq and every later one.
  const auto keys = u_.store->keys().log_keys_of(self_);
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool reaches_share_from = i + 1 == keys.size() || keys[i + 1].first > share_from_;
    if (reaches_share_from)
      hello.log_keys.push_back({keys[i].first, Secret::copy_of(keys[i].second->view())});
  }
  if (auto me = u_.devices.get(self_)) hello.name = std::string(model::utf8_prefix(me->name, wire::kMaxNameBytes));
  hello.wall_clock_ms = u_.clock_ms();
  out_.send(wire::encode_peer_message(std::move(hello)));
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
  if (hello.wall_clock_ms > 0) clock_offset_ms_ = u_.clock_ms() - hello.wall_clock_ms;
  const auto current = u_.devices.partner();
  if (!current || current->key != partner_) return end(ByeReason::kUnpaired, "not paired any more");
  const uint64_t partner_head = u_.store->events().head(partner_).seq;
  for (const auto& k : hello.log_keys) {
    // A key for an epoch of which this device holds events must be the one
    // those events were opened with: any other would make their stored
    // bodies unreadable (PROTOCOL.md §4.2).
    if (k.first_seq <= partner_head &&
        !u_.store->keys().holds_log_key(partner_, k.first_seq, k.key)) {
      return end(ByeReason::kProtocolError,
                 "partner's log key: a key for seq " + std::to_string(k.first_seq) +
                     " on, where this device holds its events up to seq " +
                     std::to_string(partner_head) + " opened with another key (refused)");
    }
    Status st = u_.store->keys().store_log_key(u_.store->db(), partner_, k.first_seq, k.key);
    // A partner re-keys an epoch it has not written in yet when it unpairs
    // (schema/PROTOCOL.md §5.4); a key for an epoch we hold events of never changes.
    if (st.code() == Code::kRefused && k.first_seq > partner_head)
      st = u_.store->keys().replace_log_key(u_.store->db(), partner_, k.first_seq, k.key);
    if (!st.is_ok()) return end(ByeReason::kProtocolError, "partner's log key: " + st.message());
  }
  if (!hello.name.empty() && model::is_valid_utf8(hello.name)) {
    Status st = u_.devices.upsert(partner_, store::DeviceRole::kPartner, hello.name, u_.clock_ms());
    if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
  }
  // What the partner holds of each log we share; a different event at a
  // seq we both hold is a fork.
  for (const Key32& author : {self_, partner_}) sent_[author] = 0;
  for (const auto& head : hello.heads) {
    if (head.author != self_ && head.author != partner_) continue;
    store::LogHead mine = u_.store->events().head(head.author);
    if (head.seq > 0 && head.seq <= mine.seq) {
      auto id = u_.store->events().id_at(head.author, head.seq);
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
      Status st = u_.devices.record_offered(partner_, head.seq);
      if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
    }
    if (head.author == self_) {
      Status st = u_.devices.set_acked(partner_, std::min(head.seq, mine.seq));
      if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
    }
  }
  pump();
  return std::nullopt;
}

std::optional<SessionEnd> Session::on_events(wire::EventsBatch batch) {
  auto accepted = accept_batch(*u_.store, partner_, std::move(batch.events),
                               store::Receipt{u_.clock_ms(), clock_offset_ms_});
  if (!accepted) {
    const Status& st = accepted.status();
    if (st.code() == Code::kRefused) return end(ByeReason::kFork, st.message());
    return end(ByeReason::kInvalidBatch, st.message());
  }
  if (accepted->author == partner_) {
    partner_offered_ = std::max(partner_offered_, accepted->head_seq);
    (void)u_.devices.record_offered(partner_, accepted->head_seq);
  }
  if (sent_[accepted->author] < accepted->head_seq) sent_[accepted->author] = accepted->head_seq;
  out_.send(wire::encode_peer_message(wire::Ack{my_heads()}));
  if (accepted->author == partner_) {
    // The partner answered a prompt this device answered too: release our
    // key now (store/prompts.h). What fails here is retried on the next batch.
    const bool answered = std::any_of(accepted->entries.begin(), accepted->entries.end(),
                                      [](const model::Entry& e) {
                                        return std::holds_alternative<model::PromptAnswer>(e.payload);
                                      });
    publish(std::move(accepted->entries));
    if (answered) {
      if (auto released = u_.prompts.reveal_due(partner_); !released)
        log::warn("cannot reveal an answer: ", released.status().to_string());
    }
  }
  return std::nullopt;
}

void Session::publish(std::vector<model::Entry> entries) {
  auto is_pause = [](const model::Entry& e) {
    return std::holds_alternative<model::Pause>(e.payload) ||
           std::holds_alternative<model::Resume>(e.payload);
  };
  for (auto& e : entries)
    if (is_pause(e)) updates_.publish(app::PartnerChange{std::move(e)});
  const bool catching_up = u_.store->events().head(partner_).seq < partner_offered_;
  for (auto& e : entries) {
    if (is_pause(e)) continue;
    if (held_.size() >= kMaxHeldChanges) release_held();
    held_.push_back(std::move(e));
  }
  if (!catching_up) release_held();
}

void Session::release_held() {
  std::vector<model::Entry> held;
  held.swap(held_);
  for (auto& e : held) updates_.publish(app::PartnerChange{std::move(e)});
}

void Session::stop() { release_held(); }

std::optional<SessionEnd> Session::on_ack(const wire::Ack& ack) {
  if (in_flight_ == 0) return end(ByeReason::kProtocolError, "an Ack for no batch");
  --in_flight_;
  for (const auto& head : ack.heads) {
    if (head.author != self_) continue;
    uint64_t mine = u_.store->events().head(self_).seq;
    Status st = u_.devices.record_acked(partner_, std::min(head.seq, mine));
    if (!st.is_ok()) return end(ByeReason::kProtocolError, st.message());
  }
  pump();
  return std::nullopt;
}

void Session::on_local_change() {
  if (hello_received_) pump();
}

void Session::pump() {
  for (const Key32& author : {self_, partner_}) {
    while (in_flight_ < kMaxInFlight) {
      uint64_t from = sent_[author];
      auto events = u_.store->events().read_after(author, from, wire::kMaxBatchEvents,
                                                  wire::kMaxBatchBytes);
      if (!events.is_ok() || events->empty()) break;
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
      const auto signature = wire::sign_event_header(u_.store->keys().identity(), last.header);
      last.signature.assign(signature.begin(), signature.end());
      (void)u_.store->events().set_signature(last.row, last.signature);
      return true;
    }
    events.pop_back();  // the batch ends before it
  }
  if (!bad_signature_reported_) {
    bad_signature_reported_ = true;
    u_.record("warn",
              "events of your partner's device stored here carry signatures that do not "
              "verify; they are not sent back to it");
  }
  return false;
}

Progress Session::progress() {
  Progress p;
  p.my_head = u_.store->events().head(self_).seq;
  if (auto partner = u_.devices.get(partner_)) p.partner_has_mine = partner->acked_seq;
  p.partner_known = u_.store->events().head(partner_).seq;
  p.partner_offered = partner_offered_;
  p.hello_received = hello_received_;
  p.caught_up = caught_up();
  return p;
}

bool Session::caught_up() {
  if (!hello_received_ || in_flight_ != 0) return false;
  if (sent_[self_] < u_.store->events().head(self_).seq) return false;
  return u_.store->events().head(partner_).seq >= partner_offered_;
}

}  // namespace hearth::sync
