// Writes the fuzzers' seed corpora in the input format of each target (see
// the comment at the top of each fuzz_*.cpp):
//   - recorded traffic: what two real sync::Session instances over
//     in-memory stores sent each other (Hello, catch-up and live Events,
//     Acks, a Pong), as peer messages, batches, application stream chunks
//     and sealed transport frames; what a real proto::PairingJoiner and the
//     real inviter sent each other (pairing_exchange.h); control requests
//     as the `hearth` client's codec frames them
//   - edge cases made with Hearth's encoders: fixed logs with every payload
//     kind, forks, strangers, Noise and CPace messages, bad frames
////
//   hearth_fuzz_seeds DIR     writes DIR/<target>/<seed> (DIR is usually
//                             tests/fuzz/corpus; remove it first to drop
//                             seeds that are no longer made)
//
// Keys, ephemerals and the random source are the fixed ones of
// fuzz_support.h, so the seeds are the same bytes on every run and still
// authenticate inside the fuzzers. Each recorded exchange is checked as it
// runs (a pairing seed must end as it was made to), and each control
// request against a real daemon state (control_home.h): each must get the
// answer it was made for.
#include <capnp/message.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "runtime/daemon_state.h"
#include "client/control_codec.h"
#include "control/server.h"
#include "control_home.h"
#include "crypto/identity.h"
#include "fuzz_support.h"
#include "net/handshake_io.h"
#include "proto/noise_stream.h"
#include "pairing_exchange.h"
#include "schema/control.capnp.h"
#include "sync/batch.h"
#include "sync/session.h"
#include "wire/capnp_message.h"
#include "wire/payload_codec.h"

using namespace hearth;
namespace fs = std::filesystem;
namespace noise = hearth::crypto::noise;

namespace {

class SeedWriter {
 public:
  explicit SeedWriter(fs::path root) : root_(std::move(root)) {}

  void write(const std::string& target, const std::string& name, ByteView bytes) {
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    HEARTH_ASSERT(out.good(), "cannot write a seed file");
    ++count_;
    bytes_ += bytes.size();
  }
  // A mode byte, then `bytes`.
  void write(const std::string& target, const std::string& name, uint8_t mode, ByteView bytes) {
    Bytes b{mode};
    append(b, bytes);
    write(target, name, b);
  }
  size_t count() const { return count_; }
  size_t bytes() const { return bytes_; }

 private:
  fs::path root_;
  size_t count_ = 0;
  size_t bytes_ = 0;
};

Bytes events_message(const std::vector<wire::SealedEvent>& log, size_t from, size_t count) {
  return wire::encode_peer_message(wire::EventsBatch{fuzz::to_wire(log, from, count)});
}

wire::Hello full_hello(const fuzz::Logs& logs) {
  wire::Hello hello;
  hello.heads.push_back({fuzz::fixed_identity(fuzz::kPartnerTag).public_key(), logs.partner.size(),
                         logs.partner.back().id});
  hello.heads.push_back({fuzz::fixed_identity(fuzz::kSelfTag).public_key(), 0, {}});
  hello.log_keys.push_back({1, fuzz::fixed_secret(fuzz::kPartnerLogKeyTag)});
  hello.name = "Sam";
  return hello;
}

// ---------------------------------------------------------------- real sync traffic

// What one side's sync::Session sent, one flush at a time: the messages it
// queued while handling one message (or one local change), which PeerLink's
// writer seals together.
struct Recorder : sync::Outbox {
  void send(Bytes m) override {
    pending.push_back(m);
    unread.push_back(std::move(m));
  }
  void flush() {
    if (!pending.empty()) flushes.push_back(std::move(pending));
    pending.clear();
  }
  std::vector<Bytes> sent() const {
    std::vector<Bytes> all;
    for (const auto& f : flushes) all.insert(all.end(), f.begin(), f.end());
    return all;
  }
  std::vector<std::vector<Bytes>> flushes;
  std::vector<Bytes> pending;
  std::deque<Bytes> unread;  // not yet delivered to the other side
};

int64_t session_clock() {
  static int64_t now = 1'700'000'000'000;
  return now += 1000;
}

// One daemon's unlocked state in memory with its session.
struct SyncSide {
  explicit SyncSide(crypto::KeyMaterial keys, std::string_view name) {
    self = keys.identity.public_key();
    auto s = store::Store::open(":memory:", std::move(keys));
    HEARTH_ASSERT(s.is_ok(), "cannot open an in-memory store");
    u = std::make_unique<runtime::Unlocked>(std::move(s).value(), session_clock);
    HEARTH_ASSERT(u->devices.upsert(self, store::DeviceRole::kSelf, name, 1).is_ok(),
                  "cannot name this device");
  }
  void pair_with(const SyncSide& other) {
    HEARTH_ASSERT(u->devices.upsert(other.self, store::DeviceRole::kPartner, "", 1).is_ok(),
                  "cannot pair");
  }
  void connect(const SyncSide& other) {
    session = std::make_unique<sync::Session>(runtime::session_context(*u, hub), other.self, out);
    u->journal.set_listener([this](const model::EntryMeta&) { session->on_local_change(); });
  }
  model::EntryMeta write(const model::Payload& p,
                         store::Visibility v = store::Visibility::kShared) {
    auto m = u->journal.write(p, v);
    HEARTH_ASSERT(m.is_ok(), "a session seed's entry was refused");
    out.flush();
    return *m;
  }

  Key32 self{};
  std::unique_ptr<runtime::Unlocked> u;
  sync::UpdateHub hub;
  Recorder out;
  std::unique_ptr<sync::Session> session;
};

// Delivers messages both ways, one at a time, until both sides are quiet.
void exchange(SyncSide& a, SyncSide& b) {
  for (int i = 0; i < 10000; ++i) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      if (from->out.unread.empty()) continue;
      const Bytes m = std::move(from->out.unread.front());
      from->out.unread.pop_front();
      HEARTH_ASSERT(!to->session->on_message(m), "a recorded session ended");
      to->out.flush();
      moved = true;
    }
    if (!moved) return;
  }
  HEARTH_ASSERT(false, "the recorded sessions did not settle");
}

struct SyncTraffic {
  Recorder partner;  // what the partner's device sent this device
  Recorder self;     // what this device sent the partner
};

// A real session between this device and its partner (the fixed keys the
// fuzzers' stores know): both write offline, connect and catch up, then the
// partner writes live (a reply to this device's boundary, an edit, a
// withdrawal, a forget), pings, and this device writes live too.
SyncTraffic record_session() {
  fuzz::reset_random();
  SyncSide self(fuzz::self_keys(), "Alex");
  SyncSide partner(
      crypto::KeyMaterial{fuzz::fixed_identity(fuzz::kPartnerTag),
                          fuzz::fixed_secret(fuzz::kPartnerLogKeyTag), fuzz::fixed_secret(0x22)},
      "Sam");
  self.pair_with(partner);
  partner.pair_with(self);
  using model::EntityId;
  using store::Visibility;
  const EntityId reflection = fuzz::entity(fuzz::kPartnerReflection);
  const EntityId boundary = fuzz::entity(fuzz::kPartnerBoundary);
  partner.write(model::ReflectionPut{
      reflection, "I noticed I went quiet tonight.", {"tired", "hopeful"}, "evening-1", {}});
  partner.write(model::BoundaryPropose{boundary, "No hard talks after 22:00.", "time"});
  partner.write(model::CheckIn{
      fuzz::entity(fuzz::kPartnerCheckIn), model::Capacity::kYellow, {"stretched"}, "a walk"});
  partner.write(model::ReflectionPut{fuzz::entity(0xC4), "Not for sharing yet.", {}, "", {}},
                Visibility::kPrivate);
  partner.write(model::Pause{30, "taking a walk"});
  partner.write(model::Resume{});
  self.write(
      model::ReflectionPut{fuzz::entity(fuzz::kOwnReflection), "Mine, shared.", {"calm"}, "", {}});
  const model::EntryMeta own_boundary = self.write(
      model::BoundaryPropose{fuzz::entity(fuzz::kOwnBoundary), "Ask before hugging.", "touch"});
  self.write(model::CheckIn{fuzz::entity(fuzz::kOwnCheckIn), model::Capacity::kGreen, {}, ""});

  self.connect(partner);
  partner.connect(self);
  self.session->start();
  self.out.flush();
  partner.session->start();
  partner.out.flush();
  exchange(self, partner);
  HEARTH_ASSERT(self.session->caught_up() && partner.session->caught_up(),
                "the recorded sessions did not catch up");

  partner.write(model::BoundaryRespond{fuzz::entity(fuzz::kOwnBoundary), own_boundary.event_id,
                                       model::Response::kDiscuss, "can we talk about it?"});
  exchange(self, partner);
  partner.write(model::ReflectionPut{
      reflection, "I noticed I went quiet, and why.", {"tired"}, "evening-1", {}});
  partner.write(model::BoundaryWithdraw{boundary, "let us start over"});
  exchange(self, partner);
  partner.write(model::ReflectionForget{reflection});
  partner.out.send(wire::encode_peer_message(wire::Ping{0x5eed}));  // PeerLink's keepalive
  partner.out.flush();
  exchange(self, partner);
  self.write(model::ReflectionPut{fuzz::entity(0xA5),
                                  "Reading yours made me feel close.",
                                  {"close", "grateful"},
                                  "prompt-3",
                                  Bytes(reflection.begin(), reflection.end())});
  self.write(model::Pause{45, "I need some air"});
  exchange(self, partner);
  HEARTH_ASSERT(self.u->store->events().head(partner.self)->seq == 9 &&
                    partner.u->store->events().head(self.self)->seq == 5,
                "the recorded sessions did not deliver every event");
  fuzz::reset_random();
  return {std::move(partner.out), std::move(self.out)};
}

std::string kind_of(ByteView message) {
  auto m = wire::decode_peer_message(message);
  HEARTH_ASSERT(m.is_ok(), "a recorded message does not decode");
  static const char* const kNames[] = {"hello", "events", "ack", "ping", "pong", "bye"};
  return kNames[m->index()];
}

bool is_events(ByteView message) { return kind_of(message) == "events"; }

// The application stream as a sender's StreamSealer cuts it: the plaintext
// of each transport message (`framed` set: each encrypted and framed as it
// goes on the wire instead), flush by flush.
std::vector<Bytes> stream_chunks(const Recorder& r, bool framed) {
  const Secret key = fuzz::fixed_secret(0x62);
  proto::StreamSealer sealer(crypto::noise::CipherState(Secret::copy_of(key.view())));
  crypto::noise::CipherState opener(Secret::copy_of(key.view()));
  std::vector<Bytes> out;
  for (const auto& flush : r.flushes) {
    std::vector<Bytes> frames;
    HEARTH_ASSERT(sealer.seal(flush, frames).is_ok(), "cannot seal recorded messages");
    for (Bytes& f : frames) {
      if (framed) {
        out.push_back(std::move(f));
        continue;
      }
      auto plain = opener.decrypt_with_ad({}, ByteView(f).subspan(proto::kNoiseLengthBytes));
      HEARTH_ASSERT(plain.is_ok(), "cannot open a sealed chunk");
      out.push_back(std::move(plain).value());
    }
  }
  return out;
}

// A 4-byte big-endian length before each message: the application stream's framing.
Bytes length_prefixed(const std::vector<Bytes>& messages) {
  Bytes out;
  for (const Bytes& m : messages) {
    put_u32_be(out, static_cast<uint32_t>(m.size()));
    append(out, m);
  }
  return out;
}

// ---------------------------------------------------------------- per target

// Every distinct message each side of the recorded session sent, in order.
void session_messages(SeedWriter& w, const std::string& t, const SyncTraffic& traffic) {
  std::set<Bytes> seen;
  for (auto [side, r] :
       {std::pair{"partner", &traffic.partner}, std::pair{"self", &traffic.self}}) {
    int k = 0;
    for (const Bytes& m : r->sent()) {
      ++k;
      if (!seen.insert(m).second) continue;
      char name[64];
      std::snprintf(name, sizeof name, "session_%s_%02d_%s", side, k, kind_of(m).c_str());
      w.write(t, name, m);
    }
  }
}

void peer_messages(SeedWriter& w, const fuzz::Logs& logs, const SyncTraffic& traffic) {
  const std::string t = "fuzz_peer_message";
  session_messages(w, t, traffic);
  // What a session does not send by itself: PeerLink's keepalive and Bye,
  // and edge cases.
  w.write(t, "hello_empty", wire::encode_peer_message(wire::Hello{}));
  wire::EventsBatch forgotten{fuzz::to_wire(logs.partner, 0, 2)};
  forgotten.events[0].body.clear();
  w.write(t, "events_forgotten_body", wire::encode_peer_message(forgotten));
  w.write(t, "ping", wire::encode_peer_message(wire::Ping{0x0123456789abcdef}));
  w.write(t, "bye_normal", wire::encode_peer_message(wire::Bye{wire::ByeReason::kNormal, ""}));
  w.write(t, "bye_invalid_batch",
          wire::encode_peer_message(wire::Bye{wire::ByeReason::kInvalidBatch,
                                              "the batch's last signature does not verify"}));
  w.write(t, "bye_unsupported_version",
          wire::encode_peer_message(wire::Bye{wire::ByeReason::kUnsupportedVersion, "version 2"}));
}

void events(SeedWriter& w, const fuzz::Logs& logs, const SyncTraffic& traffic) {
  const std::string t = "fuzz_event";
  // The partner's events as its journal sealed them and its session sent them.
  for (const Bytes& m : traffic.partner.sent()) {
    auto decoded = wire::decode_peer_message(m);
    auto* batch = std::get_if<wire::EventsBatch>(&*decoded);
    if (batch == nullptr) continue;
    for (const wire::WireEvent& e : batch->events) {
      auto h = wire::decode_header(e.header);
      HEARTH_ASSERT(h.is_ok(), "a recorded header does not decode");
      const std::string n = std::to_string(h->seq);
      w.write(t, "header_session_" + n, 0, e.header);
      if (e.body.empty()) continue;
      Bytes body{static_cast<uint8_t>(h->seq)};
      append(body, e.body);
      w.write(t, "body_session_" + n, 2, body);
    }
  }
  for (size_t i = 0; i < logs.partner.size(); ++i) {
    const auto& e = logs.partner[i];
    w.write(t, "header_partner_" + std::to_string(i + 1), 0, e.header_bytes);
    Bytes body{static_cast<uint8_t>(e.header.seq)};
    append(body, e.body);
    w.write(t, "body_partner_" + std::to_string(i + 1), 2, body);
  }
  w.write(t, "header_fork_3", 0, logs.fork[2].header_bytes);
  w.write(t, "header_self_1", 0, logs.self[0].header_bytes);
  std::vector<model::Payload> payloads = fuzz::partner_payloads();
  payloads.push_back(model::ReflectionPut{fuzz::entity(0xE1),
                                          "An answer to yours, with feelings.",
                                          {"seen", "warm", "a bit shy"},
                                          "prompt-7",
                                          Bytes(16, 0xC1)});
  payloads.push_back(model::CheckIn{fuzz::entity(0xE2), model::Capacity::kGreen, {}, ""});
  payloads.push_back(model::Pause{1440, ""});
  for (size_t i = 0; i < payloads.size(); ++i)
    w.write(t, "payload_" + std::to_string(i + 1), 1, wire::encode_payload(payloads[i]));
}

// Structure-aware fuzz_batch input: FuzzedDataProvider takes integers from
// the end of the input, one byte each for the small ranges used here, in
// the order the target asks for them.
Bytes structured(std::vector<uint8_t> values) {
  Bytes b{0x00};
  b.insert(b.end(), values.rbegin(), values.rend());
  return b;
}

void batches(SeedWriter& w, const fuzz::Logs& logs, const SyncTraffic& traffic) {
  const std::string t = "fuzz_batch";
  // Every Events message of the recorded session, each side's in order, as
  // one sequence (mode 3), and the partner's one by one (mode 1: only the
  // first applies to an empty store).
  for (auto [side, r] :
       {std::pair{"partner", &traffic.partner}, std::pair{"self", &traffic.self}}) {
    std::vector<Bytes> sent;
    for (const Bytes& m : r->sent())
      if (is_events(m)) sent.push_back(m);
    // fuzz_batch's store (this device, the partner's log key) takes them all.
    auto store = store::Store::open(":memory:", fuzz::self_keys());
    HEARTH_ASSERT(store.is_ok(), "cannot open an in-memory store");
    const Key32 partner = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
    HEARTH_ASSERT(
        (*store)
            ->keys()
            .store_log_key((*store)->db(), partner, 1, fuzz::fixed_secret(fuzz::kPartnerLogKeyTag))
            .is_ok(),
        "cannot store the partner's log key");
    for (const Bytes& m : sent) {
      auto batch = std::get<wire::EventsBatch>(*wire::decode_peer_message(m));
      auto verdict = sync::accept_batch(**store, partner, batch.events);
      HEARTH_ASSERT(verdict.is_ok() && verdict->is_accepted(),
                    "a recorded batch does not apply to the fuzzer's store");
    }
    w.write(t, std::string("session_") + side + "_batches", 3, length_prefixed(sent));
    if (std::string_view(side) != "partner") continue;
    for (size_t i = 0; i < sent.size(); ++i)
      w.write(t, "session_partner_batch_" + std::to_string(i + 1), 1, sent[i]);
  }
  // {held, log (0 partner, 1 fork, 2 self, 3 stranger), from, count - 1,
  //  mutations, then per mutation: op, index, ...}
  w.write(t, "partner_whole_log", structured({0, 0, 0, 8, 0}));
  w.write(t, "partner_continues_held", structured({3, 0, 3, 2, 0}));
  w.write(t, "own_log_restored", structured({0, 2, 0, 2, 0}));
  w.write(t, "fork_refused", structured({4, 1, 0, 3, 0}));
  w.write(t, "stranger_refused", structured({0, 3, 0, 1, 0}));
  w.write(t, "resend_of_held", structured({5, 0, 1, 5, 0}));
  w.write(t, "forgotten_body", structured({2, 0, 2, 3, 1, 8, 1}));
  w.write(t, "swapped_events", structured({0, 0, 0, 4, 1, 5, 1, 2}));
  w.write(t, "dropped_event", structured({1, 0, 1, 2, 1, 6, 1}));
  w.write(t, "bad_last_signature", structured({0, 0, 0, 2, 1, 1, 2, 17, 3}));
  w.write(t, "raw_partner_log", 1, events_message(logs.partner, 0, logs.partner.size()));
  w.write(t, "raw_hello", 1, wire::encode_peer_message(full_hello(logs)));
}

Bytes records(const std::vector<Bytes>& items) {
  Bytes out;
  for (const Bytes& b : items) {
    put_u16_be(out, static_cast<uint16_t>(b.size()));
    append(out, b);
  }
  return out;
}

Bytes ok(Result<Bytes> r) {
  HEARTH_ASSERT(r.is_ok(), "a genuine handshake step failed");
  return std::move(r).value();
}

void noise_messages(SeedWriter& w) {
  const std::string t = "fuzz_noise_responder";
  fuzz::reset_random();  // the dialers' ephemerals: the same whatever ran before
  const Key32 partner = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
  const Key32 stranger = fuzz::fixed_identity(fuzz::kStrangerTag).public_key();
  const Key32 self = fuzz::fixed_identity(fuzz::kSelfTag).public_key();

  const Bytes ik1 = ok(fuzz::session_state(true).write_message(proto::first_payload(partner, 1)));
  w.write(t, "ik_session_partner", 0, ik1);
  auto dialer = proto::SessionInitiator::create(fuzz::fixed_identity(fuzz::kPartnerTag), self);
  HEARTH_ASSERT(dialer.is_ok(), "cannot create a session initiator");
  w.write(t, "ik_session_dialer", 0, ok(dialer->first_message(1'700'000'000'000)));
  auto stranger_dialer =
      proto::SessionInitiator::create(fuzz::fixed_identity(fuzz::kStrangerTag), self);
  HEARTH_ASSERT(stranger_dialer.is_ok(), "cannot create a session initiator");
  w.write(t, "ik_session_stranger", 0, ok(stranger_dialer->first_message(1'700'000'000'000)));
  w.write(t, "ik_session_claims_other_key", 0,
          ok(fuzz::session_state(true).write_message(proto::first_payload(stranger, 1))));
  w.write(t, "ik_bare_partner", 1, ik1);
  w.write(t, "ik_bare_empty_payload", 1, ok(fuzz::session_state(true).write_message({})));

  w.write(t, "xx_message1", 2, ok(fuzz::pairing_state(true).write_message({})));
  w.write(t, "xx_message1_payload", 2,
          ok(fuzz::pairing_state(true).write_message(as_bytes(std::string_view("hello")))));
  {
    noise::HandshakeState initiator = fuzz::pairing_state(true);
    noise::HandshakeState responder = fuzz::pairing_state(false);
    const Bytes m1 = ok(initiator.write_message({}));
    (void)ok(responder.read_message(m1));
    const Bytes m2 = ok(responder.write_message({}));
    (void)ok(initiator.read_message(m2));
    w.write(t, "xx_message3", 3, ok(initiator.write_message(partner)));
  }
  {
    auto session = fuzz::genuine_session();
    noise::CipherState& send = session.first.send;
    std::vector<Bytes> messages;
    for (std::string_view text : {"first", "", "a longer transport message, as chunks are"})
      messages.push_back(ok(send.encrypt_with_ad({}, as_bytes(text))));
    w.write(t, "transport_genuine", 4, records(messages));
  }
}

void cpace_shares(SeedWriter& w) {
  const std::string t = "fuzz_cpace";
  const crypto::cpace::Share peer = fuzz::cpace_share(fuzz::kCpacePeerTag);
  auto seed = [](uint8_t role, ByteView y, std::string_view ad) {
    Bytes b{role, static_cast<uint8_t>(y.size())};
    append(b, y);
    append(b, ad);
    return b;
  };
  w.write(t, "genuine_as_responder", seed(0, peer.y_public, fuzz::kCpaceAdPeer));
  w.write(t, "genuine_as_initiator", seed(1, peer.y_public, fuzz::kCpaceAdPeer));
  w.write(t, "identity", seed(0, Bytes(32, 0), "ad"));
  Bytes high = Bytes(peer.y_public.begin(), peer.y_public.end());
  high[31] |= 0x80;
  w.write(t, "high_bit_set", seed(1, high, fuzz::kCpaceAdPeer));
  w.write(t, "short_share", seed(0, ByteView(peer.y_public).first(31), ""));
  w.write(t, "not_a_point", seed(1, Bytes(32, 0xff), "x"));
}

// One application stream chunk: the 4-byte length and the message.
Bytes framed(const Bytes& message) {
  Bytes b;
  put_u32_be(b, static_cast<uint32_t>(message.size()));
  append(b, message);
  return b;
}

void app_streams(SeedWriter& w, const SyncTraffic& traffic) {
  const std::string t = "fuzz_app_stream";
  // Each side's stream, cut into transport messages as its sealer cut it.
  for (auto [side, r] :
       {std::pair{"partner", &traffic.partner}, std::pair{"self", &traffic.self}}) {
    const std::vector<Bytes> chunks = stream_chunks(*r, false);
    for (const Bytes& c : chunks)
      HEARTH_ASSERT(c.size() <= 0x7fff, "a recorded chunk is too long for a record");
    w.write(t, std::string("session_") + side + "_stream", 1, records(chunks));
  }
  const std::vector<Bytes> sent = traffic.partner.sent();
  w.write(t, "session_partner_round_trip", 3, records(sent));
  // The partner's first flush (Hello), cut anywhere, even inside a length.
  const Bytes stream = length_prefixed(traffic.partner.flushes.at(0));
  const Bytes ping = wire::encode_peer_message(wire::Ping{7});
  const size_t a = 3, b = std::min<size_t>(stream.size(), 40);
  w.write(t, "split_anywhere", 1,
          records({Bytes(stream.begin(), stream.begin() + a),
                   Bytes(stream.begin() + a, stream.begin() + static_cast<ptrdiff_t>(b)),
                   {},
                   Bytes(stream.begin() + static_cast<ptrdiff_t>(b), stream.end())}));
  w.write(t, "over_small_limit", 0, records({framed(ping)}));
  w.write(t, "zero_length", 1, records({Bytes{0, 0, 0, 0}}));
  Bytes tampered = records({framed(ping)});
  tampered[0] |= 0x80;
  w.write(t, "tampered_chunk", 1, tampered);
}

// ---------------------------------------------------------------- control

struct ControlSeed {
  std::string name;
  Bytes frame;     // as the client sends it, with its 4-byte length
  bool expect_ok;  // the daemon answers with something other than an error
};

Bytes rebuild_views_frame() {
  capnp::MallocMessageBuilder message;
  message.initRoot<control::Request>().setRebuildViews();
  return wire::to_frame(message);
}

std::vector<ControlSeed> control_seeds() {
  namespace rq = client::request;
  const std::string partner_id = fuzz::fixed_identity(fuzz::kPartnerTag).device_id();
  const std::string stranger_id = fuzz::fixed_identity(fuzz::kStrangerTag).device_id();
  Secret passphrase = Secret::copy_of(std::string_view("correct horse"));
  Secret unlock = rq::unlock(passphrase);
  std::vector<ControlSeed> s = {
      {"status", rq::status(), true},
      {"unlock", Bytes(unlock.view().begin(), unlock.view().end()), true},
      {"log", rq::log(20), true},
      {"watch", rq::watch(), true},
      {"reflect_add_shared_reply",
       rq::reflect_add(
           {"Reading yours made me feel close.", true, {"close", "grateful"}, "prompt-3", "C1C1"}),
       true},
      {"reflect_add_private", rq::reflect_add({"Just for me.", false, {}, "", ""}), true},
      {"reflect_add_bad_reply", rq::reflect_add({"To whom?", true, {}, "", "zz"}), false},
      {"reflect_list_all_history", rq::reflect_list(0, true), true},
      {"reflect_list_5", rq::reflect_list(5, false), true},
      {"reflect_show_own", rq::reflect_show("A1A1"), true},
      {"reflect_show_partner", rq::reflect_show("c1c1c1"), true},
      {"reflect_show_private", rq::reflect_show("A2A2"), true},
      {"reflect_edit_keep", rq::reflect_edit({"A1A1", "Edited, still shared.", true, {}}), true},
      {"reflect_edit_feelings", rq::reflect_edit({"A2A2", "Edited draft.", false, {"raw"}}), true},
      {"reflect_edit_partner", rq::reflect_edit({"C1C1", "Not mine to edit.", true, {}}), false},
      {"reflect_share", rq::reflect_share("A2A2"), true},
      {"reflect_forget_own", rq::reflect_forget("A1A1"), true},
      {"reflect_forget_private", rq::reflect_forget("A2A2"), true},
      {"reflect_forget_partner", rq::reflect_forget("C1C1"), false},
      {"boundary_propose", rq::boundary_propose("Phones away at dinner.", "time"), true},
      {"boundary_revise", rq::boundary_revise("A3A3", "Knock and wait before coming in."), true},
      {"boundary_agree_partner", rq::boundary_respond("C2C2", client::Answer::kAgree, ""), true},
      {"boundary_decline_partner",
       rq::boundary_respond("C2C2", client::Answer::kDecline, "too early for me"), true},
      {"boundary_discuss_own", rq::boundary_respond("A3A3", client::Answer::kDiscuss, "hm"), false},
      {"boundary_withdraw", rq::boundary_withdraw("C2C2", "I need to step back from this."), true},
      {"boundary_list", rq::boundary_list(0), true},
      {"check_in_shared",
       rq::check_in({client::Capacity::kYellow, {"tired", "hopeful"}, "an early night", true}),
       true},
      {"check_in_private", rq::check_in({client::Capacity::kRed, {}, "", false}), true},
      {"check_in_list", rq::check_in_list(0), true},
      {"pause", rq::pause(45, "I need some air"), true},
      {"pause_too_short", rq::pause(5, ""), false},
      {"resume", rq::resume(), true},
      {"rebuild_views", rebuild_views_frame(), true},
      {"pair_add_partner_again", rq::pair_add(partner_id, "192.168.1.20:7420"), true},
      {"pair_add_other", rq::pair_add(stranger_id, ""), false},
      {"pair_add_typo", rq::pair_add("MFRGGZD-FMZTWQ2", ""), false},
      {"peer_add", rq::peer_add("[fe80::1]:7420"), true},
      {"peer_add_hostname", rq::peer_add("alex-laptop.local:7420"), true},
      {"peer_remove_unknown", rq::peer_remove("192.168.1.20:7420"), false},
      {"peer_list", rq::peer_list(), true},
      {"sync_progress", rq::sync_progress(), true},
      {"pair_invite", rq::pair_invite(), false},
      {"pair_join", rq::pair_join("maple-river-otter", "10.0.0.2:7420"), false},
      {"unpair", rq::unpair(true), true},
      {"config_get", rq::config_get("discovery"), true},
      {"config_set", rq::config_set("discovery", "off"), true},
  };
  wipe(unlock.span());
  return s;
}

class Sink : public control::ResponseSink {
 public:
  void send(Bytes frame) override { frames.push_back(std::move(frame)); }
  void finish() override {}
  bool is_open() const override { return false; }
  std::vector<Bytes> frames;
};

// Runs the request against a fresh home; returns the first response's error
// message, or "" if it is not an error.
std::string answer(const Bytes& frame) {
  auto home = fuzz::ControlHome::create(fuzz::scratch_dir());
  auto sink = std::make_shared<Sink>();
  home->handler().handle(ByteView(frame).subspan(wire::kFrameHeaderBytes), sink);
  HEARTH_ASSERT(!sink->frames.empty(), "a seed request got no answer");
  auto reader = wire::MessageReader::parse(
      ByteView(sink->frames[0]).subspan(wire::kFrameHeaderBytes), size_t{64} << 20);
  HEARTH_ASSERT(reader.is_ok(), "a response is not a capnp message");
  auto response = reader->root<control::Response>();
  if (response.which() != control::Response::ERROR) return "";
  const std::string message = response.getError().getMessage();
  return message.empty() ? "(an error without a message)" : message;
}

bool control_requests(SeedWriter& w) {
  bool all_as_expected = true;
  for (const ControlSeed& seed : control_seeds()) {
    const std::string error = answer(seed.frame);
    if (error.empty() != seed.expect_ok) {
      std::fprintf(stderr, "seed %s: expected %s, got %s\n", seed.name.c_str(),
                   seed.expect_ok ? "success" : "an error",
                   error.empty() ? "success" : error.c_str());
      all_as_expected = false;
    }
    w.write("fuzz_control_request", seed.name,
            ByteView(seed.frame).subspan(wire::kFrameHeaderBytes));
  }
  w.write("fuzz_control_request", "not_whole_words", Bytes{0, 0, 0, 0, 1});
  // A pairJoin whose pointer is a list, not a struct: reading it throws, and
  // the request must still be answered (a usage error) and finished.
  w.write("fuzz_control_request", "malformed_pair_join",
          Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x01, 0x00, 0x01, 0x00, 0x1a, 0x00, 0xff, 0x78, 0x92, 0x00,
                0x00, 0x00, 0x6d, 0x30, 0x34, 0x32, 0x30, 0x00, 0x00, 0x00});
  return all_as_expected;
}

// ---------------------------------------------------------------- pairing

namespace pairing = fuzz::pairing;

Bytes text(std::string_view t) { return Bytes(t.begin(), t.end()); }

// A script: the real joiner named "Sam", honest unless `edit` says otherwise.
template <typename Edit>
pairing::Script script(Edit edit) {
  pairing::Script s;
  s.port = 7421;
  s.name = text("Sam");
  edit(s);
  return s;
}

// The messages of an honest exchange: what the real joiner and the real
// inviter sent, in order (P1, P2, P3, N1, N2, N3, N4).
struct PairingTraffic {
  std::array<Bytes, 7> messages;
  Bytes joiner_identity;  // N3's payload
};

PairingTraffic pairing_seeds(SeedWriter& w) {
  const std::string t = "fuzz_pairing";
  using pairing::Gate;
  using pairing::Op;
  using pairing::Step;
  auto at = [](pairing::Script& s, Step step) -> pairing::Action& {
    return s.actions[static_cast<size_t>(step)];
  };
  struct Seed {
    std::string name;
    pairing::Script script;
    bool pairs;
  };
  std::string cafe;  // 50 x U+00E9: cut to 32 of them
  for (int i = 0; i < 50; ++i) cafe += "\xc3\xa9";
  std::vector<Seed> seeds = {
      {"real_joiner", script([](auto&) {}), true},
      {"real_joiner_socket", script([](auto& s) { s.socket = true; }), true},
      {"forger", script([](auto& s) { s.forging = true; }), true},
      {"forger_socket", script([](auto& s) { s.forging = s.socket = true; }), true},
      {"stranger_joins", script([](auto& s) { s.joiner_key = 1; }), true},
      {"wrong_code", script([](auto& s) { s.wrong_code = true; }), false},
      {"wrong_code_socket", script([](auto& s) { s.wrong_code = s.socket = true; }), false},
      {"wrong_code_forged_p3", script([&](auto& s) {
         s.wrong_code = true;
         at(s, Step::kP3).op = Op::kRaw;
         at(s, Step::kP3).bytes = Bytes(32, 0x42);
       }),
       false},
      {"claims_other_key", script([](auto& s) { s.claim = 1; }), false},
      {"forger_claims_other_key", script([](auto& s) { s.forging = true, s.claim = 1; }), false},
      {"forger_is_the_inviter", script([](auto& s) { s.forging = true, s.joiner_key = 2; }), false},
      {"forger_claims_inviter", script([](auto& s) { s.forging = true, s.claim = 2; }), false},
      {"forger_claims_bytes", script([](auto& s) {
         s.forging = true;
         s.claim = 3;
         s.claimed_key.fill(0x77);
       }),
       false},
      {"long_name_cut", script([&](auto& s) { s.name = text(cafe); }), true},
      {"forger_name_too_long", script([](auto& s) { s.forging = true, s.name = Bytes(65, 'a'); }),
       false},
      {"name_not_utf8", script([](auto& s) {
         s.name = Bytes{'S', 0xff, 'm'};
       }),
       false},
      {"inviter_no_name", script([](auto& s) { s.inviter_name = 1; }), true},
      {"inviter_name_at_limit", script([](auto& s) { s.inviter_name = 2, s.socket = true; }), true},
      {"inviter_name_cut", script([](auto& s) { s.inviter_name = 3; }), true},
      {"gate_no_invite", script([](auto& s) { s.socket = true, s.gate = Gate::kNoInvite; }), false},
      {"gate_no_attempt_left",
       script([](auto& s) { s.socket = true, s.gate = Gate::kNoAttemptLeft; }), false},
      {"gate_store_fails", script([](auto& s) { s.socket = true, s.gate = Gate::kStoreFails; }),
       false},
      {"flipped_p1", script([&](auto& s) {
         at(s, Step::kP1).op = Op::kFlip;
         at(s, Step::kP1).bit = 8 * 20 + 3;
       }),
       false},
      {"flipped_n1", script([&](auto& s) {
         at(s, Step::kN1).op = Op::kFlip;
         at(s, Step::kN1).bit = 8 * 40;
       }),
       false},
      {"truncated_n3", script([&](auto& s) {
         at(s, Step::kN3).op = Op::kResize;
         at(s, Step::kN3).size = 100;
       }),
       false},
      {"forger_n1_payload", script([&](auto& s) {
         s.forging = true;
         at(s, Step::kN1).op = Op::kPayload;
         at(s, Step::kN1).bytes = text("hello");
       }),
       false},
      {"forger_n3_short_identity", script([&](auto& s) {
         s.forging = true;
         at(s, Step::kN3).op = Op::kPayload;
         at(s, Step::kN3).bytes = Bytes(34, 0);
       }),
       false},
      {"socket_n3_long_prefix", script([&](auto& s) {
         s.socket = true;
         at(s, Step::kN3).prefix = 160;
       }),
       false},
      {"socket_p1_short_prefix", script([&](auto& s) {
         s.socket = true;
         at(s, Step::kP1).prefix = 48;
       }),
       false},
  };
  PairingTraffic traffic;
  for (const Seed& seed : seeds) {
    const pairing::Outcome out = pairing::run_exchange(seed.script);
    HEARTH_ASSERT(out.result.has_value() == seed.pairs, seed.name.c_str());
    w.write(t, seed.name, pairing::encode_script(seed.script));
    if (seed.name != "real_joiner") continue;
    traffic.messages = {out.sent[0], *out.p2,     out.sent[1], out.sent[2],
                        *out.n2,     out.sent[3], *out.n4};
    traffic.joiner_identity = out.n3_payload;
  }
  // The real joiner's recorded messages, given back as raw bytes: the same
  // exchange (the random source is rewound), and where mutations start.
  pairing::Script recorded = script([](auto&) {});
  constexpr size_t kJoinerMessages[pairing::kSteps] = {0, 2, 3, 5};  // P1, P3, N1, N3
  for (size_t i = 0; i < pairing::kSteps; ++i) {
    recorded.actions[i].op = Op::kRaw;
    recorded.actions[i].bytes = traffic.messages.at(kJoinerMessages[i]);
  }
  HEARTH_ASSERT(pairing::run_exchange(recorded).result.has_value(),
                "the recorded pairing does not replay");
  w.write(t, "recorded_real_joiner", pairing::encode_script(recorded));
  pairing::Script forged = script([](auto& s) { s.forging = true; });
  at(forged, Step::kN3).op = Op::kPayload;
  at(forged, Step::kN3).bytes = traffic.joiner_identity;
  HEARTH_ASSERT(pairing::run_exchange(forged).result.has_value(),
                "the forger cannot replay the real joiner's identity");
  w.write(t, "forger_recorded_identity", pairing::encode_script(forged));

  // The identity codec (mode bit 7).
  w.write(t, "identity_recorded", 0x80, traffic.joiner_identity);
  w.write(t, "identity_inviter", 0x80,
          proto::encode_identity({fuzz::fixed_identity(fuzz::kSelfTag).public_key(), 7420,
                                pairing::inviter_name(3).set}));
  Bytes bad_length = traffic.joiner_identity;
  bad_length[34] ^= 1;
  w.write(t, "identity_bad_length", 0x80, bad_length);
  w.write(t, "identity_not_utf8", 0x80, pairing::reference_encode(Key32{}, 0, Bytes{0xc3, 0x28}));
  return traffic;
}

// ---------------------------------------------------------------- stream readers

void stream_reader_seeds(SeedWriter& w, const PairingTraffic& pairing_traffic,
                         const SyncTraffic& sync_traffic) {
  const std::string t = "fuzz_stream_readers";
  auto noise_seed = [&](const std::string& name, uint8_t bounds, const Bytes& stream) {
    Bytes b{0, bounds};
    append(b, stream);
    w.write(t, name, b);
  };
  // Pairing: each message with the bounds its reader uses (bounds 0..6).
  static const char* const kNames[] = {"p1", "p2", "p3", "n1", "n2", "n3", "n4"};
  for (uint8_t i = 0; i < 7; ++i) {
    noise_seed(std::string("pairing_") + kNames[i], i,
               proto::frame_noise_message(pairing_traffic.messages[i]));
  }
  // The joiner's whole stream, read with bounds from the input (10).
  Bytes joiner{0x00, 0x20, 0x00, 0xa3};  // 32..163
  for (size_t i : {0, 2, 3, 5})
    append(joiner, proto::frame_noise_message(pairing_traffic.messages[i]));
  noise_seed("pairing_joiner_stream", 10, joiner);
  // The session handshake (7, 8).
  {
    noise::HandshakeState initiator = fuzz::session_state(true);
    noise::HandshakeState responder = fuzz::session_state(false);
    const Bytes m1 =
        ok(initiator.write_message(fuzz::fixed_identity(fuzz::kPartnerTag).public_key()));
    (void)ok(responder.read_message(m1));
    const Bytes m2 = ok(responder.write_message({}));
    noise_seed("session_message1", 7, proto::frame_noise_message(m1));
    noise_seed("session_message2", 8, proto::frame_noise_message(m2));
  }
  // The recorded session's transport messages as they go on the wire (9).
  for (auto [side, r] :
       {std::pair{"partner", &sync_traffic.partner}, std::pair{"self", &sync_traffic.self}}) {
    Bytes wire;
    for (const Bytes& f : stream_chunks(*r, true)) append(wire, f);
    noise_seed(std::string("transport_") + side, 9, wire);
  }
  noise_seed("p1_too_long", 0, Bytes{0x00, 0x32});
  noise_seed("p1_max_length", 0, Bytes{0xff, 0xff, 0x00});
  noise_seed("truncated_n2", 4, Bytes{0x00, 0x90, 0x01, 0x02});
  // Round trips (mode 1).
  {
    Bytes b{1};
    append(b, records({pairing_traffic.messages[0], {}, pairing_traffic.messages[4]}));
    w.write(t, "round_trip_pairing", b);
  }
  // The control socket (mode 2): requests as the client frames them, and bad frames.
  int kept = 0;
  for (const ControlSeed& seed : control_seeds()) {
    if (seed.name != "status" && seed.name != "unlock" && seed.name != "reflect_add_shared_reply" &&
        seed.name != "pair_join" && seed.name != "check_in_shared")
      continue;
    w.write(t, "control_" + seed.name, 2, seed.frame);
    ++kept;
  }
  HEARTH_ASSERT(kept == 5, "a control seed for the stream reader is missing");
  const Bytes status = client::request::status();
  Bytes trailing = status;
  append(trailing, Bytes{1, 2, 3});
  w.write(t, "control_trailing_bytes", 2, trailing);
  w.write(t, "control_zero_length", 2, Bytes{0, 0, 0, 0});
  w.write(t, "control_over_limit", 2, Bytes{0x00, 0x10, 0x00, 0x08, 0x00});
  w.write(t, "control_at_limit_truncated", 2, Bytes{0x00, 0x10, 0x00, 0x00, 0x00});
  w.write(t, "control_not_whole_words", 2, Bytes{0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  w.write(t, "control_header_only", 2, Bytes{0, 0});
  w.write(t, "control_round_trip", 3, ByteView(status).subspan(wire::kFrameHeaderBytes));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR   (e.g. tests/fuzz/corpus)\n", argv[0]);
    return 1;
  }
  fuzz::init();
  SeedWriter w{fs::path(argv[1])};
  const fuzz::Logs logs = fuzz::make_logs();
  const SyncTraffic traffic = record_session();
  peer_messages(w, logs, traffic);
  events(w, logs, traffic);
  batches(w, logs, traffic);
  noise_messages(w);
  cpace_shares(w);
  app_streams(w, traffic);
  const PairingTraffic pairing_traffic = pairing_seeds(w);
  stream_reader_seeds(w, pairing_traffic, traffic);
  const bool ok = control_requests(w);
  std::printf("wrote %zu seeds, %zu bytes, under %s\n", w.count(), w.bytes(), argv[1]);
  return ok ? 0 : 1;
}
