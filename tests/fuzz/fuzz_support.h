// What the fuzz targets and the seed generator (make_seeds.cpp) share: keys
// made from fixed seeds, so that seeds written once still authenticate in
// every later fuzzing run; a deterministic random source, so that an input
// that crashes a fuzzer crashes it again when replayed alone; and the event
// logs the batch and control targets start from.
//
// Header-only: the fuzzers are built by clang with libFuzzer, the seed
// generator by the normal build.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "crypto/cpace.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "crypto/noise.h"
#include "crypto/sodium.h"
#include "model/payload.h"
#include "util/assert.h"
#include "util/bytes.h"
#include "util/log.h"
#include "util/secret.h"
#include "wire/event_codec.h"
#include "wire/peer_codec.h"

namespace hearth::fuzz {

// ---------------------------------------------------------------- randomness

// libsodium's random source replaced by a ChaCha20 stream from a fixed seed,
// a stream number and a call counter. reset_random() rewinds it: every input
// then sees the same "random" nonces, keys and ephemerals, whatever ran
// before it. reset_random(stream) picks another stream: inputs that must not
// share their randomness (fuzz_pairing's scripts) each take their own.
namespace detail {
inline uint64_t& random_calls() {
  static uint64_t calls = 0;
  return calls;
}
inline uint64_t& random_stream() {
  static uint64_t stream = 0;
  return stream;
}
inline void random_buf(void* const buf, const size_t size) {
  uint8_t seed[randombytes_SEEDBYTES] = {'h', 'e', 'a', 'r', 't', 'h', '/', 'f', 'u', 'z', 'z'};
  const uint64_t n = random_calls()++;
  const uint64_t stream = random_stream();
  std::memcpy(seed + 12, &stream, sizeof stream);
  std::memcpy(seed + randombytes_SEEDBYTES - sizeof n, &n, sizeof n);
  randombytes_buf_deterministic(buf, size, seed);
}
inline uint32_t random_u32() {
  uint32_t v = 0;
  random_buf(&v, sizeof v);
  return v;
}
inline const char* random_name() { return "hearth-fuzz-deterministic"; }
inline void random_stir() {}
}  // namespace detail

inline void reset_random(uint64_t stream = 0) {
  detail::random_calls() = 0;
  detail::random_stream() = stream;
}

// Call first, before any other Hearth or libsodium function: installs the
// deterministic random source, initialises libsodium and quietens the log.
inline void init() {
  static randombytes_implementation impl = {&detail::random_name, &detail::random_u32,
                                            &detail::random_stir, nullptr,
                                            &detail::random_buf,  nullptr};
  HEARTH_ASSERT(randombytes_set_implementation(&impl) == 0, "cannot set the random source");
  crypto::sodium_ready();
  reset_random();
  log::set_level(log::Level::kError);
}

// ---------------------------------------------------------------- fixed keys

inline Secret fixed_secret(uint8_t tag, size_t size = 32) {
  Secret s(size);
  for (size_t i = 0; i < size; ++i) s.data()[i] = static_cast<uint8_t>(tag + 7 * i);
  return s;
}

// An Ed25519 device identity from a fixed seed: the same in every process.
inline crypto::DeviceIdentity fixed_identity(uint8_t tag) {
  Secret seed = fixed_secret(tag, crypto_sign_SEEDBYTES);
  Key32 pk{};
  Secret sk(crypto_sign_SECRETKEYBYTES);
  HEARTH_ASSERT(crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data()) == 0,
                "crypto_sign_seed_keypair failed");
  auto id = crypto::DeviceIdentity::from_secret(std::move(sk));
  HEARTH_ASSERT(id.is_ok(), "a fixed identity does not match itself");
  return std::move(id).value();
}

inline crypto::noise::Keypair fixed_keypair(uint8_t tag) {
  auto kp = crypto::noise::Keypair::from_private(fixed_secret(tag));
  HEARTH_ASSERT(kp.is_ok(), "a fixed X25519 key was refused");
  return std::move(kp).value();
}

inline crypto::noise::Keypair x25519_of(const crypto::DeviceIdentity& id) {
  auto kp = crypto::noise::Keypair::from_private(id.x25519_secret());
  HEARTH_ASSERT(kp.is_ok(), "an identity's X25519 key was refused");
  return std::move(kp).value();
}

// Tags of the fixed keys; each names one role in every target.
inline constexpr uint8_t kSelfTag = 0x10;      // the device under test
inline constexpr uint8_t kPartnerTag = 0x20;   // its paired partner
inline constexpr uint8_t kStrangerTag = 0x30;  // a device it does not know
inline constexpr uint8_t kSelfLogKeyTag = 0x11;
inline constexpr uint8_t kSelfLocalKeyTag = 0x12;
inline constexpr uint8_t kPartnerLogKeyTag = 0x21;
inline constexpr uint8_t kStrangerLogKeyTag = 0x31;
// Noise ephemerals: fixed so a genuine handshake is the same in every run.
inline constexpr uint8_t kInitiatorEphemeralTag = 0x40;
inline constexpr uint8_t kResponderEphemeralTag = 0x41;
inline constexpr uint8_t kPairingPskTag = 0x42;

inline crypto::KeyMaterial self_keys() {
  return crypto::KeyMaterial{fixed_identity(kSelfTag), fixed_secret(kSelfLogKeyTag),
                             fixed_secret(kSelfLocalKeyTag)};
}

// ---------------------------------------------------------------- Noise

inline constexpr std::string_view kPairingPrologue = "hearth/pair/1";

// The XXpsk3 pairing handshake as each side configures it (code pairing).
inline crypto::noise::HandshakeState pairing_state(bool initiator) {
  crypto::noise::HandshakeConfig config;
  config.pattern = crypto::noise::kXXpsk3;
  config.initiator = initiator;
  config.prologue = as_bytes(kPairingPrologue);
  config.static_keypair = x25519_of(fixed_identity(initiator ? kPartnerTag : kSelfTag));
  config.psks.push_back(fixed_secret(kPairingPskTag));
  config.fixed_ephemeral =
      fixed_keypair(initiator ? kInitiatorEphemeralTag : kResponderEphemeralTag);
  auto hs = crypto::noise::HandshakeState::create(std::move(config));
  HEARTH_ASSERT(hs.is_ok(), "cannot create the pairing handshake");
  return std::move(hs).value();
}

// The IK session handshake with fixed ephemerals (net/handshake.cpp makes
// the same, with random ones). The initiator is the partner.
inline crypto::noise::HandshakeState session_state(bool initiator) {
  crypto::noise::HandshakeConfig config;
  config.pattern = crypto::noise::kIK;
  config.initiator = initiator;
  config.prologue = as_bytes(std::string_view("hearth/1"));
  config.static_keypair = x25519_of(fixed_identity(initiator ? kPartnerTag : kSelfTag));
  if (initiator) config.remote_static = fixed_identity(kSelfTag).x25519_public();
  config.fixed_ephemeral =
      fixed_keypair(initiator ? kInitiatorEphemeralTag : kResponderEphemeralTag);
  auto hs = crypto::noise::HandshakeState::create(std::move(config));
  HEARTH_ASSERT(hs.is_ok(), "cannot create the session handshake");
  return std::move(hs).value();
}

// A genuine IK session between the partner (initiator, its device key as
// payload) and this device, with the fixed ephemerals: the same transport
// keys in every run. Returns {initiator's keys, responder's keys}.
inline std::pair<crypto::noise::TransportPair, crypto::noise::TransportPair> genuine_session() {
  crypto::noise::HandshakeState initiator = session_state(true);
  crypto::noise::HandshakeState responder = session_state(false);
  const Key32 partner = fixed_identity(kPartnerTag).public_key();
  auto m1 = initiator.write_message(partner);
  HEARTH_ASSERT(m1.is_ok() && responder.read_message(*m1).is_ok(), "genuine IK message 1 failed");
  auto m2 = responder.write_message({});
  HEARTH_ASSERT(m2.is_ok() && initiator.read_message(*m2).is_ok(), "genuine IK message 2 failed");
  auto i = initiator.split();
  auto r = responder.split();
  HEARTH_ASSERT(i.is_ok() && r.is_ok(), "cannot split a genuine IK handshake");
  return {std::move(i).value(), std::move(r).value()};
}

// ---------------------------------------------------------------- CPace

inline constexpr std::string_view kCpacePrs = "anchor-velvet-orbit-maple";
inline constexpr std::string_view kCpaceCi = "hearth/pair/1";
inline constexpr std::string_view kCpaceSid = "fuzz-session-id";
inline constexpr std::string_view kCpaceAdMine = "responder-ad";
inline constexpr std::string_view kCpaceAdPeer = "initiator-ad";
inline constexpr uint8_t kCpaceMineTag = 0x50;
inline constexpr uint8_t kCpacePeerTag = 0x51;

// A CPace share over the fixed password with a fixed scalar.
inline crypto::cpace::Share cpace_share(uint8_t tag) {
  Secret scalar = fixed_secret(tag);
  scalar.data()[31] &= 0x0f;  // below the group order
  auto share = crypto::cpace::start_with_scalar(as_bytes(kCpacePrs), as_bytes(kCpaceCi),
                                                as_bytes(kCpaceSid), scalar.view());
  HEARTH_ASSERT(share.is_ok(), "cannot make a fixed CPace share");
  return std::move(share).value();
}

// ---------------------------------------------------------------- event logs

// Entity IDs the fixed logs use: 16 copies of one byte, so a control request
// can name them by the prefix "A1A1" and so on.
inline model::EntityId entity(uint8_t b) {
  model::EntityId id{};
  id.fill(b);
  return id;
}
inline constexpr uint8_t kPartnerReflection = 0xC1;
inline constexpr uint8_t kPartnerBoundary = 0xC2;
inline constexpr uint8_t kPartnerCheckIn = 0xC3;
inline constexpr uint8_t kOwnReflection = 0xA1;
inline constexpr uint8_t kOwnPrivateReflection = 0xA2;
inline constexpr uint8_t kOwnBoundary = 0xA3;
inline constexpr uint8_t kOwnCheckIn = 0xA4;
inline constexpr uint8_t kForkReflection = 0xD1;

// One payload of every kind, in an order a partner could have written them.
// Event 4 responds to event 2's proposal (seal_log fills in its revision).
inline std::vector<model::Payload> partner_payloads() {
  return {
      model::ReflectionPut{entity(kPartnerReflection),
                           "I noticed I went quiet tonight.",
                           {"tired", "hopeful"},
                           "evening-1",
                           {}},
      model::BoundaryPropose{entity(kPartnerBoundary), "No hard talks after 22:00.", "time"},
      model::CheckIn{
          entity(kPartnerCheckIn), model::Capacity::kYellow, {"stretched"}, "a slow morning"},
      model::BoundaryRespond{
          entity(kPartnerBoundary), {}, model::Response::kDiscuss, "can we say 22:30?"},
      model::Pause{30, "taking a walk"},
      model::Resume{},
      model::ReflectionPut{entity(kPartnerReflection),
                           "I noticed I went quiet, and why.",
                           {"tired"},
                           "evening-1",
                           {}},
      model::BoundaryWithdraw{entity(kPartnerBoundary), "let us start over"},
      model::ReflectionForget{entity(kPartnerReflection)},
  };
}

// What the partner's log forks into after its first two events.
inline std::vector<model::Payload> fork_payloads() {
  return {model::ReflectionPut{entity(kForkReflection), "A different third event.", {}, "", {}},
          model::Pause{20, ""}};
}

// Seals `payloads` as the log of `author`, continuing `log` (from seq 1 when
// it is empty): lamports 10, 20, ..., wall times one minute apart. A
// BoundaryRespond with an all-zero revision answers the log's second event.
inline std::vector<wire::SealedEvent> seal_log(const crypto::DeviceIdentity& author,
                                               const Secret& log_key,
                                               std::vector<model::Payload> payloads,
                                               std::vector<wire::SealedEvent> log = {}) {
  for (model::Payload& payload : payloads) {
    if (auto* r = std::get_if<model::BoundaryRespond>(&payload);
        r && r->revision == Hash32{} && log.size() >= 2)
      r->revision = log[1].id;
    const uint64_t seq = log.size() + 1;
    const Hash32 prev = log.empty() ? Hash32{} : log.back().id;
    log.push_back(wire::seal_event(author, log_key, seq, prev, 10 * seq,
                                   1'700'000'000'000 + 60'000 * static_cast<int64_t>(seq),
                                   payload));
  }
  return log;
}

inline wire::WireEvent to_wire(const wire::SealedEvent& e) {
  return {e.header_bytes, Bytes(e.signature.begin(), e.signature.end()), e.body};
}

inline std::vector<wire::WireEvent> to_wire(const std::vector<wire::SealedEvent>& log, size_t from,
                                            size_t count) {
  std::vector<wire::WireEvent> out;
  for (size_t i = from; i < from + count && i < log.size(); ++i) out.push_back(to_wire(log[i]));
  return out;
}

// The logs the batch target offers and mutates, and the seeds' Events
// messages carry. Built with the random source rewound, so every process
// builds the same bytes.
struct Logs {
  std::vector<wire::SealedEvent> partner;   // every payload kind
  std::vector<wire::SealedEvent> fork;      // the partner's log, forked at seq 3
  std::vector<wire::SealedEvent> self;      // this device's own log
  std::vector<wire::SealedEvent> stranger;  // a log this device does not sync
};

inline Logs make_logs() {
  reset_random();
  Logs logs;
  const crypto::DeviceIdentity partner = fixed_identity(kPartnerTag);
  const Secret partner_key = fixed_secret(kPartnerLogKeyTag);
  logs.partner = seal_log(partner, partner_key, partner_payloads());
  logs.fork =
      seal_log(partner, partner_key, fork_payloads(),
               std::vector<wire::SealedEvent>(logs.partner.begin(), logs.partner.begin() + 2));
  logs.self = seal_log(fixed_identity(kSelfTag), fixed_secret(kSelfLogKeyTag),
                       {model::ReflectionPut{entity(kOwnReflection), "Mine, shared.", {}, "", {}},
                        model::BoundaryPropose{entity(kOwnBoundary), "Ask before hugging.", ""},
                        model::CheckIn{entity(kOwnCheckIn), model::Capacity::kGreen, {}, ""}});
  logs.stranger = seal_log(fixed_identity(kStrangerTag), fixed_secret(kStrangerLogKeyTag),
                           {model::Pause{60, "not yours"}, model::Resume{}});
  reset_random();
  return logs;
}

}  // namespace hearth::fuzz
