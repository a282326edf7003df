// One code-pairing exchange (proto/pairing.h, schema/PROTOCOL.md §5.2)
// between the REAL inviter and a joiner the input scripts: what fuzz_pairing
// runs on every input, and what make_seeds.cpp runs to record its seeds and
// check them.
//
// The inviter is this device (fuzz::kSelfTag) with an open invite for
// kInviteCode, driven either
//   - step by step, in the order net::respond_pairing calls its
//     proto::PairingInviter (on_p1, on_p3, on_n1, on_n3), or
//   - by net::respond_pairing itself on one end of a socket pair, with an
//     InviteGate whose answers the script picks, the joiner on the other
//     end: the daemon's real reads (read_noise_message with each message's
//     size limits), writes and order.
// The joiner is a real proto::PairingJoiner, or the harness's own joiner
// (ForgingJoiner: the steps of schema/PROTOCOL.md §5.2 on Hearth's CPace
// and Noise primitives), which can encrypt any payload in N1 and N3 and
// claim any device key. Each of its four messages (P1, P3,
// N1, N3) is the joiner's own, or that with a bit flipped, resized, replaced
// by raw bytes, or (ForgingJoiner) the genuine encryption of an attacker's
// payload; on the socket it may also carry a wrong length prefix.
//
// What must hold (checked by run_exchange):
//   - the inviter accepts P3, and so sends N2 (its identity), exactly when
//     the joiner used the invite's code and sent its own P1 and P3
//   - it completes exactly when, in addition, the joiner sent its own N1
//     (empty payload) and N3, whose payload is a well-formed identity
//     (reference decoder below) claiming the device key whose X25519 form
//     is the joiner's Noise static key, and not the inviter's own key; the
//     result names that identity, and the joiner accepts N4 and sees the
//     same handshake hash and the inviter's identity (its name cut as
//     proto::encode_identity cuts it)
//   - with a wrong code the inviter never sends N2 and never completes
//   - P2, N2 and N4 have the sizes schema/PROTOCOL.md §5.2 gives; P2 shows
//     neither of the inviter's keys
//   - on the socket: P2 goes out only when the gate gives a code and admits
//     the attempt (counted once); the gate stores a partner only for such
//     an exchange, N4 goes out only once stored, and nothing waits for
//     bytes the joiner never promised (the exchange ends well within its
//     timeout)
// Randomness comes from fuzz_support.h's rewound source: the same script
// gives the same bytes in every run.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/cpace.h"
#include "crypto/hash.h"
#include "crypto/identity.h"
#include "crypto/noise.h"
#include "crypto/pairing_words.h"
#include "fuzz_support.h"
#include "model/payload.h"
#include "net/noise_io.h"
#include "proto/noise_stream.h"
#include "net/pairing_io.h"
#include "socket_pair.h"

namespace hearth::fuzz::pairing {

namespace noise = crypto::noise;
namespace cpace = crypto::cpace;

// ---------------------------------------------------------------- the parties

inline constexpr std::string_view kInviteCode = "maple-river-otter";
inline constexpr std::string_view kOtherCode = "maple-river-ocean";
inline constexpr uint16_t kInviterPort = 7420;

struct Parties {
  crypto::DeviceIdentity inviter = fixed_identity(kSelfTag);
  crypto::DeviceIdentity partner = fixed_identity(kPartnerTag);
  crypto::DeviceIdentity stranger = fixed_identity(kStrangerTag);
};

inline const Parties& parties() {
  static const Parties p;
  return p;
}

// The inviter's name as its daemon has it, and as the joiner must see it:
// proto::encode_identity cuts a name to proto::kMaxPairingNameBytes at a character boundary.
struct InviterName {
  std::string set;
  std::string seen;
};

inline InviterName inviter_name(uint8_t choice) {
  switch (choice % 4) {
    case 0:
      return {"Alex", "Alex"};
    case 1:
      return {"", ""};
    case 2:
      return {std::string(64, 'a'), std::string(64, 'a')};  // exactly the limit
    default: {
      std::string euros;  // 30 x U+20AC, 3 bytes each: cut to 21 of them
      for (int i = 0; i < 30; ++i) euros += "\xe2\x82\xac";
      return {euros, euros.substr(0, 63)};
    }
  }
}

// ---------------------------------------------------------------- identity payloads

// The identity payload of schema/PROTOCOL.md §5.2, read independently of
// proto::decode_identity: device key (32) || port (2, BE) || name length (1)
// || name (0..64 bytes of UTF-8).
inline std::optional<proto::PairingIdentity> reference_decode(ByteView p) {
  constexpr size_t kFixed = 32 + 2 + 1;
  if (p.size() < kFixed) return std::nullopt;
  const size_t n = p[34];
  if (n > 64 || p.size() != kFixed + n) return std::nullopt;
  proto::PairingIdentity id;
  std::copy_n(p.begin(), 32, id.device_key.begin());
  id.listen_port = static_cast<uint16_t>(p[32] << 8 | p[33]);
  id.name.assign(reinterpret_cast<const char*>(p.data()) + kFixed, n);
  if (!model::is_valid_utf8(id.name)) return std::nullopt;
  return id;
}

// The same layout, written without any check (a forger's encoder).
inline Bytes reference_encode(const Key32& key, uint16_t port, ByteView name) {
  Bytes out(key.begin(), key.end());
  put_u16_be(out, port);
  out.push_back(static_cast<uint8_t>(name.size()));
  append(out, name);
  return out;
}

// ---------------------------------------------------------------- the script

enum class Step : uint8_t { kP1, kP3, kN1, kN3 };
inline constexpr size_t kSteps = 4;

enum class Op : uint8_t {
  kOwn,      // the joiner's own message
  kFlip,     // ... with one bit flipped
  kResize,   // ... truncated or zero-extended
  kRaw,      // bytes from the input instead
  kPayload,  // N1, N3 of the ForgingJoiner: the genuine encryption of these bytes
};
inline constexpr uint8_t kOps = 5;

struct Action {
  Op op = Op::kOwn;
  uint16_t bit = 0;                // kFlip: modulo the message's bits
  uint8_t size = 0;                // kResize
  Bytes bytes;                     // kRaw, kPayload
  std::optional<uint16_t> prefix;  // socket: this length prefix, then the joiner stops
};

// What the InviteGate of the socket driver answers.
enum class Gate : uint8_t { kOpen, kNoInvite, kNoAttemptLeft, kStoreFails };

struct Script {
  bool forging = false;     // the ForgingJoiner, not proto::PairingJoiner
  bool wrong_code = false;  // the joiner types kOtherCode
  uint8_t joiner_key = 0;   // its device key: 0, 3 the partner's; 1 a stranger's; 2 the inviter's
  uint8_t claim = 0;        // the key its identity names: 0 its own; 1 another device's;
                            // 2 the inviter's; 3 claimed_key
  bool socket = false;      // net::respond_pairing on a socket pair
  uint8_t inviter_name = 0;
  Gate gate = Gate::kOpen;
  uint16_t port = 0;  // the joiner's listen port
  Bytes name;         // the joiner's name, any bytes
  Key32 claimed_key{};
  std::array<Action, kSteps> actions;
};

// Input layout (a missing byte reads as 0, so a short input is an honest
// exchange):
//   0     bit 0 forging, bit 1 wrong_code, bits 2-3 joiner_key, bits 4-5
//         claim, bit 6 socket, bit 7 clear (set: the identity-codec mode of
//         fuzz_pairing, not a script)
//   1     bits 0-1 inviter_name, bits 2-3 gate
//   2-3   port (BE)
//   4     name length L, then L bytes; then, if claim == 3, 32 bytes
//   then for P1, P3, N1, N3: an action byte: op = (low 3 bits) % kOps, bit 7:
//         a prefix follows; kFlip: 2 bytes (BE); kResize: 1 byte; kRaw,
//         kPayload: a length byte L and L bytes; then the 2-byte prefix if any
class Cursor {
 public:
  explicit Cursor(ByteView in) : in_(in) {}
  uint8_t u8() {
    if (in_.empty()) return 0;
    const uint8_t b = in_[0];
    in_ = in_.subspan(1);
    return b;
  }
  uint16_t u16() {
    const uint16_t hi = u8();
    return static_cast<uint16_t>(hi << 8 | u8());
  }
  Bytes take(size_t n) {
    n = std::min(n, in_.size());
    Bytes out(in_.begin(), in_.begin() + static_cast<ptrdiff_t>(n));
    in_ = in_.subspan(n);
    return out;
  }

 private:
  ByteView in_;
};

inline Script parse_script(ByteView input) {
  Cursor in(input);
  Script s;
  const uint8_t flags = in.u8();
  s.forging = flags & 1;
  s.wrong_code = flags & 2;
  s.joiner_key = (flags >> 2) & 3;
  s.claim = (flags >> 4) & 3;
  s.socket = flags & 0x40;
  const uint8_t setup = in.u8();
  s.inviter_name = setup & 3;
  s.gate = static_cast<Gate>((setup >> 2) & 3);
  s.port = in.u16();
  s.name = in.take(in.u8());
  if (s.claim == 3) {
    const Bytes k = in.take(32);
    std::copy(k.begin(), k.end(), s.claimed_key.begin());
  }
  for (Action& a : s.actions) {
    const uint8_t b = in.u8();
    a.op = static_cast<Op>((b & 7) % kOps);
    if (a.op == Op::kFlip) a.bit = in.u16();
    if (a.op == Op::kResize) a.size = in.u8();
    if (a.op == Op::kRaw || a.op == Op::kPayload) a.bytes = in.take(in.u8());
    if (b & 0x80) a.prefix = in.u16();
  }
  return s;
}

// The input parse_script() reads back as `s` (for the seeds).
inline Bytes encode_script(const Script& s) {
  Bytes out;
  out.push_back(static_cast<uint8_t>((s.forging ? 1 : 0) | (s.wrong_code ? 2 : 0) |
                                     (s.joiner_key & 3) << 2 | (s.claim & 3) << 4 |
                                     (s.socket ? 0x40 : 0)));
  out.push_back(static_cast<uint8_t>((s.inviter_name & 3) | static_cast<uint8_t>(s.gate) << 2));
  put_u16_be(out, s.port);
  HEARTH_ASSERT(s.name.size() <= 255, "a script's name is too long to encode");
  out.push_back(static_cast<uint8_t>(s.name.size()));
  append(out, s.name);
  if (s.claim == 3) append(out, s.claimed_key);
  for (const Action& a : s.actions) {
    out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(a.op) | (a.prefix ? 0x80 : 0)));
    if (a.op == Op::kFlip) put_u16_be(out, a.bit);
    if (a.op == Op::kResize) out.push_back(a.size);
    if (a.op == Op::kRaw || a.op == Op::kPayload) {
      HEARTH_ASSERT(a.bytes.size() <= 255, "a script's message is too long to encode");
      out.push_back(static_cast<uint8_t>(a.bytes.size()));
      append(out, a.bytes);
    }
    if (a.prefix) put_u16_be(out, *a.prefix);
  }
  return out;
}

// ---------------------------------------------------------------- joiners

// What a joiner concluded from N4.
struct Seen {
  proto::PairingIdentity inviter;
  noise::HandshakeHash hash{};
  std::string confirmation;
};

class Joiner {
 public:
  virtual ~Joiner() = default;
  virtual Bytes p1() = 0;
  // P3 and N1 for the P2 received (N1 carrying n1_payload if this joiner
  // can choose it); nullopt if it cannot go on (P2 does not verify).
  virtual std::optional<std::pair<Bytes, Bytes>> on_p2(ByteView p2, ByteView n1_payload) = 0;
  // N3 (carrying n3_payload if this joiner can choose it), or nullopt.
  virtual std::optional<Bytes> on_n2(ByteView n2, ByteView n3_payload) = 0;
  virtual std::optional<Seen> on_n4(ByteView n4) = 0;
  // The identity payload it sends in N3 unless told otherwise.
  virtual Bytes own_identity() const = 0;
  virtual bool chooses_payloads() const = 0;
  // ForgingJoiner: N2's payload as it decrypted it.
  virtual std::optional<Bytes> inviter_payload() const { return std::nullopt; }
};

// The daemon's joiner, proto::PairingJoiner.
class RealJoiner : public Joiner {
 public:
  RealJoiner(const crypto::DeviceIdentity& self, proto::PairingIdentity mine, const Secret& code)
      : mine_(mine) {
    auto j = proto::PairingJoiner::create(self, std::move(mine), code);
    HEARTH_ASSERT(j.is_ok(), "cannot create a PairingJoiner");
    joiner_.emplace(std::move(j).value());
  }
  Bytes p1() override { return joiner_->p1(); }
  std::optional<std::pair<Bytes, Bytes>> on_p2(ByteView p2, ByteView) override {
    auto r = joiner_->on_p2(p2);
    if (!r) return std::nullopt;
    return std::move(r).value();
  }
  std::optional<Bytes> on_n2(ByteView n2, ByteView) override {
    auto r = joiner_->on_n2(n2);
    if (!r) return std::nullopt;
    return std::move(r).value();
  }
  std::optional<Seen> on_n4(ByteView n4) override {
    auto r = joiner_->on_n4(n4);
    if (!r) return std::nullopt;
    return Seen{r->partner, r->handshake_hash, r->confirmation};
  }
  Bytes own_identity() const override { return proto::encode_identity(mine_); }
  bool chooses_payloads() const override { return false; }

 private:
  proto::PairingIdentity mine_;
  std::optional<proto::PairingJoiner> joiner_;
};

// A joiner written from schema/PROTOCOL.md §5.2 alone, that encrypts whatever
// payloads it is given.
class ForgingJoiner : public Joiner {
 public:
  ForgingJoiner(const crypto::DeviceIdentity& self, Bytes identity, const Secret& code)
      : self_(self), identity_(std::move(identity)), sid_(proto::kPairingSidBytes) {
    randombytes_buf(sid_.data(), sid_.size());
    auto share = cpace::start(code.view(), channel(), sid_);
    HEARTH_ASSERT(share.is_ok(), "cannot start CPace");
    share_ = std::move(share).value();
  }
  Bytes p1() override {
    Bytes out{0x01};
    append(out, sid_);
    append(out, share_.y_public);
    return out;
  }
  std::optional<std::pair<Bytes, Bytes>> on_p2(ByteView p2, ByteView n1_payload) override {
    if (p2.size() != 64) return std::nullopt;
    const ByteView yb = p2.first(32);
    auto isk = cpace::isk_initiator_responder(share_, cpace::Role::kInitiator,
                                              as_bytes(std::string_view("initiator")), yb,
                                              as_bytes(std::string_view("responder")), sid_);
    if (!isk) return std::nullopt;
    const Hash32 confirm_a = keyed(*isk, "hearth/pair/confirm/A");
    if (!std::equal(confirm_a.begin(), confirm_a.end(), p2.begin() + 32)) return std::nullopt;
    const Hash32 confirm_b = keyed(*isk, "hearth/pair/confirm/B");
    const Hash32 psk = keyed(*isk, "hearth/pair/psk/v1");
    Bytes prologue;
    append(prologue, std::string_view("hearth/pair/1"));
    append(prologue, sid_);
    append(prologue, share_.y_public);
    append(prologue, yb);
    noise::HandshakeConfig config;
    config.pattern = noise::kXXpsk3;
    config.initiator = true;
    config.prologue = prologue;
    config.static_keypair = x25519_of(self_);
    config.psks.push_back(Secret::copy_of(ByteView(psk)));
    auto hs = noise::HandshakeState::create(std::move(config));
    HEARTH_ASSERT(hs.is_ok(), "cannot create the forger's handshake");
    hs_.emplace(std::move(hs).value());
    auto n1 = hs_->write_message(n1_payload);
    if (!n1) return std::nullopt;
    return std::pair{Bytes(confirm_b.begin(), confirm_b.end()), std::move(n1).value()};
  }
  std::optional<Bytes> on_n2(ByteView n2, ByteView n3_payload) override {
    if (!hs_) return std::nullopt;
    auto payload = hs_->read_message(n2);
    if (!payload) return std::nullopt;
    inviter_payload_ = std::move(payload).value();
    auto n3 = hs_->write_message(n3_payload);
    if (!n3) return std::nullopt;
    return std::move(n3).value();
  }
  std::optional<Seen> on_n4(ByteView n4) override {
    if (!hs_ || !hs_->is_complete() || !inviter_payload_) return std::nullopt;
    auto inviter = reference_decode(*inviter_payload_);
    if (!inviter) return std::nullopt;
    Seen seen{*inviter, hs_->handshake_hash(), ""};
    auto transport = hs_->split();
    if (!transport) return std::nullopt;
    auto ok = transport->recv.decrypt_with_ad({}, n4);
    if (!ok || as_chars(*ok) != "ok") return std::nullopt;
    seen.confirmation = crypto::confirmation_phrase(seen.hash);
    return seen;
  }
  Bytes own_identity() const override { return identity_; }
  bool chooses_payloads() const override { return true; }
  std::optional<Bytes> inviter_payload() const override { return inviter_payload_; }

 private:
  static Bytes channel() { return cpace::lv_cat({as_bytes(std::string_view("hearth/pair/v1"))}); }
  static Hash32 keyed(const Secret& isk, std::string_view label) {
    return crypto::blake2b_256_keyed(isk.view(), {as_bytes(label)});
  }

  const crypto::DeviceIdentity& self_;
  Bytes identity_;
  Bytes sid_;
  cpace::Share share_;
  std::optional<noise::HandshakeState> hs_;
  std::optional<Bytes> inviter_payload_;
};

// ---------------------------------------------------------------- the exchange

// What happened, as both sides and the harness saw it.
struct Outcome {
  std::array<Bytes, kSteps> sent;  // the joiner's messages as sent
  std::array<bool, kSteps> was_sent{};
  std::array<bool, kSteps> had_own{};        // the joiner had a message of its own for it
  std::array<bool, kSteps> own{};            // ... and sent it unchanged
  Bytes n1_payload, n3_payload;              // what the joiner's N1 and N3 carried
  std::optional<Bytes> p2, n2, n4;           // what the inviter sent
  std::optional<proto::PairingResult> result;  // the inviter completed
  Status failure;                            // why it did not
  std::optional<Seen> seen;                  // what the joiner made of N4
  // The gate's view (socket driver).
  int code_asked = 0, admitted = 0, completed = 0;
};

// The joiner's side of one exchange: its messages as the script alters them.
class ScriptedJoiner {
 public:
  ScriptedJoiner(const Script& s, Joiner& j, Outcome& out) : s_(s), j_(j), out_(out) {}

  Bytes p1() {
    std::optional<Bytes> own = j_.p1();
    return finish(Step::kP1, own, Bytes{});
  }
  // P3 and N1 in answer to P2.
  std::pair<Bytes, Bytes> p3_n1(ByteView p2) {
    const Action& n1 = s_.actions[static_cast<size_t>(Step::kN1)];
    out_.n1_payload = (n1.op == Op::kPayload && j_.chooses_payloads()) ? n1.bytes : Bytes{};
    auto own = j_.on_p2(p2, out_.n1_payload);
    std::optional<Bytes> p3, n1_own;
    if (own) {
      p3 = std::move(own->first);
      n1_own = std::move(own->second);
    }
    Bytes a = finish(Step::kP3, p3, Bytes(proto::kP3Bytes));
    Bytes b = finish(Step::kN1, n1_own, Bytes(proto::kN1Bytes));
    return {std::move(a), std::move(b)};
  }
  Bytes n3(ByteView n2) {
    const Action& n3 = s_.actions[static_cast<size_t>(Step::kN3)];
    out_.n3_payload =
        (n3.op == Op::kPayload && j_.chooses_payloads()) ? n3.bytes : j_.own_identity();
    std::optional<Bytes> own = j_.on_n2(n2, out_.n3_payload);
    return finish(Step::kN3, own, Bytes(proto::kN3MinBytes));
  }
  void n4(ByteView n4) { out_.seen = j_.on_n4(n4); }

  const Action& action(Step step) const { return s_.actions[static_cast<size_t>(step)]; }

 private:
  // The message sent for `step`: the joiner's own (or `fallback` when it has
  // none) as the action alters it.
  Bytes finish(Step step, const std::optional<Bytes>& own, Bytes fallback) {
    const Action& a = action(step);
    Bytes m = own ? *own : std::move(fallback);
    switch (a.op) {
      case Op::kFlip:
        if (!m.empty()) m[(a.bit / 8) % m.size()] ^= static_cast<uint8_t>(1u << (a.bit % 8));
        break;
      case Op::kResize:
        m.resize(a.size);
        break;
      case Op::kRaw:
        m = a.bytes;
        break;
      case Op::kPayload:
      case Op::kOwn:
        break;
    }
    const size_t i = static_cast<size_t>(step);
    out_.had_own[i] = own.has_value();
    out_.own[i] = own.has_value() && m == *own;
    out_.sent[i] = m;
    out_.was_sent[i] = true;
    return m;
  }

  const Script& s_;
  Joiner& j_;
  Outcome& out_;
};

inline const crypto::DeviceIdentity& joiner_identity(const Script& s) {
  switch (s.joiner_key & 3) {
    case 1:
      return parties().stranger;
    case 2:
      return parties().inviter;
    default:
      return parties().partner;
  }
}

inline Key32 claimed_key(const Script& s) {
  const Key32 own = joiner_identity(s).public_key();
  switch (s.claim & 3) {
    case 0:
      return own;
    case 1:
      return own == parties().partner.public_key() ? parties().stranger.public_key()
                                                   : parties().partner.public_key();
    case 2:
      return parties().inviter.public_key();
    default:
      return s.claimed_key;
  }
}

inline proto::PairingIdentity inviter_identity(const Script& s) {
  return {parties().inviter.public_key(), kInviterPort, inviter_name(s.inviter_name).set};
}

// The inviter, step by step as respond_pairing calls it.
inline void drive_steps(const Script& s, ScriptedJoiner& joiner, Outcome& out) {
  const Secret code = Secret::copy_of(kInviteCode);
  auto inviter = proto::PairingInviter::create(parties().inviter, inviter_identity(s));
  HEARTH_ASSERT(inviter.is_ok(), "cannot create a PairingInviter");
  auto p2 = inviter->on_p1(joiner.p1(), code);
  if (!p2) return void(out.failure = p2.status());
  out.p2 = *p2;
  auto [p3, n1] = joiner.p3_n1(*p2);
  if (Status st = inviter->on_p3(p3); !st.is_ok()) return void(out.failure = st);
  auto n2 = inviter->on_n1(n1);
  if (!n2) return void(out.failure = n2.status());
  out.n2 = *n2;
  auto done = inviter->on_n3(joiner.n3(*n2));
  if (!done) return void(out.failure = done.status());
  out.result = done->first;
  out.n4 = done->second;
  joiner.n4(*out.n4);
}

// The gate of the socket driver.
class ScriptedGate : public net::InviteGate {
 public:
  ScriptedGate(Gate how, Outcome& out) : how_(how), out_(out) {}
  const Secret* code() override {
    ++out_.code_asked;
    return how_ == Gate::kNoInvite ? nullptr : &code_;
  }
  bool admit() override {
    if (how_ == Gate::kNoAttemptLeft) return false;
    ++out_.admitted;
    return true;
  }
  Status complete(const proto::PairingResult&) override {
    ++out_.completed;
    if (how_ == Gate::kStoreFails) return Status::io("the fuzzer's store refused the partner");
    return Status::ok();
  }

 private:
  Gate how_;
  Outcome& out_;
  Secret code_ = Secret::copy_of(kInviteCode);
};

using asio::ip::tcp;
inline constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);
// respond_pairing's limit in the fuzzer: far above what an exchange between
// two processes' worth of crypto on one core takes, far below libFuzzer's.
inline constexpr std::chrono::seconds kSocketTimeout{4};

// Reads whatever comes until the inviter closes.
inline asio::awaitable<void> drain(tcp::socket& socket) {
  uint8_t buf[512];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), kUseTuple);
    if (ec) co_return;
  }
}

using Outgoing = std::vector<std::pair<Step, const Bytes*>>;

// Writes `messages`, each with its length prefix (or its action's wrong
// one, after which nothing more is written). False: the joiner stopped (a
// wrong prefix or a write error).
inline asio::awaitable<bool> send(tcp::socket& socket, ScriptedJoiner& joiner, Outgoing messages) {
  Bytes wire;
  bool stop = false;
  for (const auto& [step, m] : messages) {
    const Action& a = joiner.action(step);
    if (a.prefix && *a.prefix != m->size()) {
      put_u16_be(wire, *a.prefix);
      append(wire, *m);
      stop = true;
      break;
    }
    append(wire, proto::frame_noise_message(*m));
  }
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(wire), kUseTuple);
  co_return !ec && !stop;
}

// One message list, built without an initializer list (GCC 12 cannot keep
// one in a coroutine frame: "array used as initializer").
inline Outgoing outgoing(Step a, const Bytes& ma) {
  Outgoing out;
  out.emplace_back(a, &ma);
  return out;
}
inline Outgoing outgoing(Step a, const Bytes& ma, Step b, const Bytes& mb) {
  Outgoing out = outgoing(a, ma);
  out.emplace_back(b, &mb);
  return out;
}

// The joiner's messages in the order of schema/PROTOCOL.md §5.2, each
// written once the inviter's answer it depends on came; returns at the first
// that does not.
inline asio::awaitable<void> joiner_steps(tcp::socket& socket, ScriptedJoiner& joiner,
                                          Outcome& out) {
  const Bytes p1 = joiner.p1();
  if (!co_await send(socket, joiner, outgoing(Step::kP1, p1))) co_return;
  Bytes p2;
  if (!(co_await net::read_noise_message(socket, p2, 0)).is_ok()) co_return;
  out.p2 = p2;
  const std::pair<Bytes, Bytes> p3_n1 = joiner.p3_n1(p2);
  if (!co_await send(socket, joiner, outgoing(Step::kP3, p3_n1.first, Step::kN1, p3_n1.second)))
    co_return;
  Bytes n2;
  if (!(co_await net::read_noise_message(socket, n2, 0)).is_ok()) co_return;
  out.n2 = n2;
  const Bytes n3 = joiner.n3(n2);
  if (!co_await send(socket, joiner, outgoing(Step::kN3, n3))) co_return;
  Bytes n4;
  if (!(co_await net::read_noise_message(socket, n4, 0)).is_ok()) co_return;
  out.n4 = n4;
  joiner.n4(n4);
}

inline asio::awaitable<void> joiner_side(tcp::socket& socket, ScriptedJoiner& joiner,
                                         Outcome& out) {
  co_await joiner_steps(socket, joiner, out);
  // Whatever the script did, the inviter now sees the end of the stream.
  asio::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  co_await drain(socket);
}

inline void drive_socket(const Script& s, ScriptedJoiner& joiner, Outcome& out) {
  static asio::io_context io;
  auto sockets = tcp_socket_pair(io);
  tcp::socket& server = sockets.first;
  tcp::socket& client = sockets.second;
  ScriptedGate gate(s.gate, out);
  bool server_done = false, client_done = false;
  const auto started = std::chrono::steady_clock::now();
  spawn_checked(io, [&]() -> asio::awaitable<void> {
    auto r = co_await net::respond_pairing(server, parties().inviter, inviter_identity(s), gate,
                                           kSocketTimeout);
    if (r) {
      out.result = std::move(r).value();
    } else {
      out.failure = r.status();
    }
    asio::error_code ignored;
    server.close(ignored);  // as PairingService::answer does
    server_done = true;
  });
  spawn_checked(io, [&]() -> asio::awaitable<void> {
    co_await joiner_side(client, joiner, out);
    client_done = true;
  });
  const bool finished = run_until(
      io, [&] { return server_done && client_done; }, kSocketTimeout + std::chrono::seconds(2));
  HEARTH_ASSERT(finished, "the pairing exchange over the socket did not end");
  HEARTH_ASSERT(
      std::chrono::steady_clock::now() - started < kSocketTimeout,
      "respond_pairing waited for bytes the joiner never promised (ran into its timeout)");
}

inline bool contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// Runs the exchange `s` describes and checks everything the header lists.
inline Outcome run_exchange(const Script& s) {
  // The script without its actions picks the random stream: the ephemerals
  // (and so every genuine message) of one exchange are the same whatever the
  // actions do to them, and differ from those of any exchange with another
  // joiner, key, identity, code or inviter. So a message recorded in one
  // exchange (a seed holds some) is not genuine in another, and raw bytes
  // equal to a genuine message are exactly the joiner's own.
  Script header = s;
  header.actions = {};
  const Bytes salt = encode_script(header);
  reset_random(get_u64_be(crypto::blake2b_256(salt).data()));
  const Parties& p = parties();
  const crypto::DeviceIdentity& me = joiner_identity(s);
  const Secret code = Secret::copy_of(s.wrong_code ? kOtherCode : kInviteCode);
  const proto::PairingIdentity mine{claimed_key(s), s.port, std::string(as_chars(ByteView(s.name)))};
  std::unique_ptr<Joiner> j;
  if (s.forging) {
    j = std::make_unique<ForgingJoiner>(me, reference_encode(mine.device_key, s.port, s.name),
                                        code);
  } else {
    j = std::make_unique<RealJoiner>(me, mine, code);
    // proto::encode_identity keeps a UTF-8 name UTF-8 and within the limit.
    if (model::is_valid_utf8(mine.name)) {
      auto encoded = reference_decode(proto::encode_identity(mine));
      const size_t kept = std::min(mine.name.size(), proto::kMaxPairingNameBytes);
      HEARTH_ASSERT(encoded && encoded->device_key == mine.device_key &&
                        encoded->listen_port == mine.listen_port &&
                        mine.name.starts_with(encoded->name) && encoded->name.size() <= kept &&
                        encoded->name.size() + 3 >= kept,
                    "encode_identity made a payload that is not a valid identity of the name");
    }
  }
  Outcome out;
  ScriptedJoiner joiner(s, *j, out);
  if (s.socket) {
    drive_socket(s, joiner, out);
  } else {
    drive_steps(s, joiner, out);
  }

  // The step's message was the joiner's own, unchanged and (on the socket)
  // with its true length.
  auto own = [&](Step step) {
    const size_t i = static_cast<size_t>(step);
    const Action& a = s.actions[i];
    return out.own[i] && (!s.socket || !a.prefix || *a.prefix == out.sent[i].size());
  };
  const bool admits = !s.socket || s.gate == Gate::kOpen || s.gate == Gate::kStoreFails;
  const bool knows_code = !s.wrong_code && own(Step::kP1) && own(Step::kP3) && admits;
  const bool sends_n2 = knows_code && own(Step::kN1) && out.n1_payload.empty();
  const auto claimed = reference_decode(out.n3_payload);
  const bool identity_ok =
      claimed && claimed->device_key != p.inviter.public_key() &&
      crypto::x25519_public_from_device(claimed->device_key).is_ok() &&
      *crypto::x25519_public_from_device(claimed->device_key) == me.x25519_public();
  const bool verifies_n3 = sends_n2 && own(Step::kN3) && identity_ok;
  const bool completes = verifies_n3 && (!s.socket || s.gate == Gate::kOpen);

  // P2, N2, N4 as schema/PROTOCOL.md §5.2 sizes them; P2 reveals neither
  // inviter key.
  if (out.p2) {
    HEARTH_ASSERT(out.p2->size() == proto::kP2Bytes, "a P2 of the wrong size");
    HEARTH_ASSERT(
        !contains(*out.p2, p.inviter.public_key()) && !contains(*out.p2, p.inviter.x25519_public()),
        "P2 shows the inviter's keys before the code is confirmed");
    HEARTH_ASSERT(admits, "P2 went out although the gate did not admit the attempt");
  } else if (own(Step::kP1) && admits) {
    HEARTH_ASSERT(false, "a genuine P1 got no P2");
  }
  if (s.socket) {
    HEARTH_ASSERT(out.code_asked <= 1 && out.admitted <= 1 && out.completed <= 1,
                  "the gate was asked more than once");
    HEARTH_ASSERT(out.admitted == (out.p2 ? 1 : 0), "P2 and the attempts counted disagree");
    if (s.gate == Gate::kNoInvite)
      HEARTH_ASSERT(out.admitted == 0, "an attempt counted with no invite open");
  }

  HEARTH_ASSERT(!s.wrong_code || !out.n2, "with a wrong code the inviter sent its identity (N2)");
  HEARTH_ASSERT(!s.wrong_code || !out.result, "the inviter paired with a wrong code");
  HEARTH_ASSERT(out.n2.has_value() == sends_n2,
                sends_n2 ? "the inviter refused the genuine P3 and N1 of the right code"
                         : "the inviter answered N1 without a genuine P1, P3 and N1");
  if (out.n2) {
    HEARTH_ASSERT(out.n2->size() >= proto::kN2MinBytes && out.n2->size() <= proto::kN2MaxBytes,
                  "an N2 of the wrong size");
    // The joiner can read it, and it names the inviter.
    if (s.forging) {
      auto payload = j->inviter_payload();
      HEARTH_ASSERT(payload.has_value(), "the joiner cannot decrypt N2");
      auto inviter = reference_decode(*payload);
      HEARTH_ASSERT(inviter && inviter->device_key == p.inviter.public_key() &&
                        inviter->listen_port == kInviterPort &&
                        inviter->name == inviter_name(s.inviter_name).seen,
                    "N2 does not carry the inviter's identity");
    } else if (me.public_key() != p.inviter.public_key()) {
      HEARTH_ASSERT(out.had_own[static_cast<size_t>(Step::kN3)],
                    "the real joiner refused the inviter's genuine N2");
    }
  }

  if (s.socket) {
    HEARTH_ASSERT(out.completed == (verifies_n3 ? 1 : 0),
                  verifies_n3 ? "the gate was not asked to store a verified joiner"
                              : "the gate was asked to store a joiner that did not verify");
    if (verifies_n3 && s.gate == Gate::kStoreFails)
      HEARTH_ASSERT(!out.result && out.failure.code() == Code::kIo,
                    "a failure to store the partner was not the exchange's failure");
    HEARTH_ASSERT(out.n4.has_value() == completes, "N4 went out without a stored partner");
  }
  HEARTH_ASSERT(out.result.has_value() == completes,
                completes ? "the inviter refused a genuine exchange"
                          : "the inviter paired with a joiner that did not do everything right");
  HEARTH_ASSERT(out.result || !out.failure.is_ok(), "an exchange failed without a reason");
  if (!out.result) return out;

  const proto::PairingResult& r = *out.result;
  HEARTH_ASSERT(r.partner == *claimed, "the result names another identity than N3 carried");
  HEARTH_ASSERT(r.partner.device_key != p.inviter.public_key(), "paired with itself");
  HEARTH_ASSERT(r.confirmation == crypto::confirmation_phrase(r.handshake_hash),
                "the confirmation phrase is not the handshake hash's");
  HEARTH_ASSERT(out.n4 && out.n4->size() == proto::kN4Bytes, "an N4 of the wrong size");
  HEARTH_ASSERT(out.seen.has_value(), "the joiner does not accept the inviter's N4");
  HEARTH_ASSERT(out.seen->hash == r.handshake_hash && out.seen->confirmation == r.confirmation,
                "the two sides end with different handshake hashes");
  HEARTH_ASSERT(out.seen->inviter.device_key == p.inviter.public_key() &&
                    out.seen->inviter.listen_port == kInviterPort &&
                    out.seen->inviter.name == inviter_name(s.inviter_name).seen,
                "the joiner paired with another identity than the inviter's");
  return out;
}

}  // namespace hearth::fuzz::pairing
