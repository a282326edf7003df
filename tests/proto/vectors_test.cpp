// Known-answer vectors for Hearth's own constructions (schema/PROTOCOL.md §10):
// device IDs, events, private entries, the pair key, beacons, the values of
// code pairing and the confirmation phrase. Each file of schema/vectors/
// below is computed here from fixed inputs (seeds, keys, nonces, IDs, times)
// by Hearth's own code, and must hold exactly what that gives: any byte of
// any value that differs fails its test. Each test then checks what the
// stored values promise (a header decodes, a signature verifies, a body
// opens with its key, a beacon is read back).
//
// To write the files instead of checking them (a new vector, or a
// construction changed on purpose, which needs a new protocol version):
//
//   HEARTH_WRITE_VECTORS=1 build/dev/tests/hearth_tests -tc="known-answer vectors*"
//
// schema/vectors/sealed-answer.json is checked by tests/sync/prompts_test.cpp.
#include <doctest/doctest.h>
#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/aead.h"
#include "crypto/cpace.h"
#include "crypto/identity.h"
#include "crypto/pairing_words.h"
#include "proto/beacon.h"
#include "proto/pairing.h"
#include "store/private_log.h"
#include "wire/event_codec.h"
#include "wire/payload_codec.h"

using namespace hearth;
using json = nlohmann::ordered_json;

namespace {

// 2026-01-01 00:00:00 UTC.
constexpr int64_t kNewYearSeconds = 1'767'225'600;
constexpr int64_t kNewYearMs = kNewYearSeconds * 1000;

bool writing() {
  const char* value = std::getenv("HEARTH_WRITE_VECTORS");
  return value != nullptr && std::string_view(value) == "1";
}

// first, first + 1, first + 2, … (mod 256)
Bytes counting(size_t size, uint8_t first) {
  Bytes out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(first + i);
  return out;
}

Bytes bytes_of(const json& value) {
  Bytes out;
  REQUIRE_MESSAGE(from_hex(value.get<std::string>(), out), "bad hex: " << value);
  return out;
}

template <size_t N>
std::array<uint8_t, N> array_of(const json& value) {
  const Bytes b = bytes_of(value);
  REQUIRE(b.size() == N);
  return to_array<N>(b);
}

std::string hex(ByteView b) { return to_hex(b); }
std::string hex(const Secret& s) { return to_hex(s.view()); }

// The device whose Ed25519 key pair libsodium's crypto_sign_seed_keypair
// makes from `seed`.
crypto::DeviceIdentity device_from_seed(ByteView seed) {
  REQUIRE(seed.size() == crypto_sign_SEEDBYTES);
  Key32 public_key{};
  Secret secret_key(crypto_sign_SECRETKEYBYTES);
  REQUIRE(crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data()) == 0);
  auto device = crypto::DeviceIdentity::from_secret(std::move(secret_key));
  REQUIRE(device.is_ok());
  return std::move(device).value();
}

json describe(const model::ReflectionPut& put) {
  return {{"kind", "reflectionPut"},
          {"reflection_id", hex(put.reflection_id)},
          {"text", put.text},
          {"feelings", put.feelings}};
}

json describe(const model::CheckIn& check_in) {
  return {{"kind", "checkIn"},
          {"check_in_id", hex(check_in.check_in_id)},
          {"capacity", static_cast<int>(check_in.capacity)},
          {"feelings", check_in.feelings},
          {"need", check_in.need}};
}

// Every value of `computed` is in `stored`, the same, and nothing else is:
// each differing value is reported by its file, vector and name.
void check_same(const std::string& name, const json& stored, const json& computed) {
  REQUIRE(stored.is_object());
  for (const auto& [key, value] : computed.items()) {
    if (key == "vectors") continue;
    INFO(name << ": " << key);
    REQUIRE(stored.contains(key));
    CHECK(stored.at(key).dump() == value.dump());
  }
  REQUIRE(stored.contains("vectors"));
  const json& got = stored.at("vectors");
  const json& want = computed.at("vectors");
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    for (const auto& [key, value] : want.at(i).items()) {
      INFO(name << ": vector " << i << ", " << key);
      REQUIRE(got.at(i).contains(key));
      CHECK(got.at(i).at(key).dump() == value.dump());
    }
  }
  // Nothing else either: no key or vector the test does not compute.
  const bool same = stored == computed;
  CHECK_MESSAGE(same, name << " holds more than, or other than, what is computed");
}

// Writes `computed` to schema/vectors/<name> when HEARTH_WRITE_VECTORS=1, then
// checks that the file holds exactly it; returns the file's document.
json settle(const std::string& name, const json& computed) {
  const std::string path = std::string(HEARTH_SCHEMA_VECTORS_DIR) + "/" + name;
  if (writing()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    REQUIRE_MESSAGE(out.good(), "cannot write " << path);
    out << computed.dump(2) << '\n';
    out.close();
    REQUIRE(out.good());
    MESSAGE("wrote " << path);
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path << " is missing; HEARTH_WRITE_VECTORS=1 writes it");
  const json stored = json::parse(in);
  check_same(name, stored, computed);
  return stored;
}

// ---------------------------------------------------------------- inputs

// The devices of every vector below: A and B of the pair key, A the author
// of the events.
const Bytes kSeedA = counting(32, 0x00);
const Bytes kSeedB = counting(32, 0x20);
const Bytes kSeedC(32, 0xa5);

model::ReflectionPut reflection(uint8_t id_first, std::string text,
                                std::vector<std::string> feelings) {
  model::ReflectionPut put;
  put.reflection_id = to_array<16>(counting(16, id_first));
  put.text = std::move(text);
  put.feelings = std::move(feelings);
  return put;
}

// ---------------------------------------------------------------- device IDs

json device_id_vector(ByteView seed) {
  const crypto::DeviceIdentity device = device_from_seed(seed);
  const std::string id = device.device_id();
  std::string chars;
  for (char c : id)
    if (c != '-') chars.push_back(c);
  REQUIRE(chars.size() == 56);
  return {{"seed", hex(seed)},
          {"device_key", hex(device.public_key())},
          {"device_id", id},
          {"key_chars", chars.substr(0, 52)},
          {"check_chars", chars.substr(52)},
          {"transport_key", hex(device.x25519_public())}};
}

json device_id_vectors() {
  json vectors = json::array();
  for (const Bytes* seed : {&kSeedA, &kSeedB, &kSeedC}) vectors.push_back(device_id_vector(*seed));
  return {{"description",
           "Device IDs (PROTOCOL.md §1): the Ed25519 key pair of a 32-byte seed (libsodium "
           "crypto_sign_seed_keypair), its device ID (base32 of the key, then 4 check characters "
           "from BLAKE2b-256(\"hearth/device-id/v1\" || key), in groups of 7) and its X25519 "
           "transport key (crypto_sign_ed25519_pk_to_curve25519)"},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- events

struct EventInput {
  std::string note;
  uint64_t seq;
  uint64_t lamport;
  int64_t wall_ms;
  model::ReflectionPut payload;
  Bytes nonce;
};

json event_vectors() {
  const crypto::DeviceIdentity author = device_from_seed(kSeedA);
  const Bytes log_key = counting(32, 0x40);
  const Secret key = Secret::copy_of(log_key);
  const std::vector<EventInput> inputs = {
      {"seq 1: prev is 32 zero bytes; wallTime set: the 152-byte header", 1, 1, kNewYearMs,
       reflection(0xa0, "a walk by the river", {"calm", "grateful"}), counting(24, 0x80)},
      {"seq 2: prev is the event ID of seq 1", 2, 5, kNewYearMs + 60'000,
       reflection(0xb0, "tea on the balcony", {}), counting(24, 0x98)},
      {"seq 3: wallTime 0, dropped by canonicalization: the 144-byte header", 3, 6, 0,
       reflection(0xa0, "a walk by the river, and back", {"calm"}), counting(24, 0xb0)},
  };
  json vectors = json::array();
  Hash32 prev{};
  for (const EventInput& in : inputs) {
    const wire::SealedEvent e = wire::seal_event_with_nonce(author, key, in.seq, prev, in.lamport,
                                                            in.wall_ms, in.payload, in.nonce);
    vectors.push_back({{"note", in.note},
                       {"seq", in.seq},
                       {"prev", hex(prev)},
                       {"lamport", in.lamport},
                       {"wall_time", in.wall_ms},
                       {"payload", describe(in.payload)},
                       {"nonce", hex(in.nonce)},
                       {"payload_bytes", hex(wire::encode_payload(in.payload))},
                       {"body_ad", hex(wire::body_ad(author.public_key(), in.seq))},
                       {"body", hex(e.body)},
                       {"body_hash", hex(e.header.body_hash)},
                       {"header", hex(e.header_bytes)},
                       {"signature", hex(e.signature)},
                       {"event_id", hex(e.id)}});
    prev = e.id;
  }
  return {{"description",
           "Events (PROTOCOL.md §2.1, §2.2): one author's log of three events. The payload's "
           "capnp bytes are sealed with XChaCha20-Poly1305 under the log key with the given "
           "nonce, AD = \"hearth/body/v1\" || author || seq (8, big-endian), as nonce || "
           "ciphertext || tag; bodyHash = BLAKE2b-256(body); the header is the canonical "
           "EventHeader; signature = Ed25519(\"hearth/event/v1\" || header); event ID = "
           "BLAKE2b-256(header)"},
          {"author_seed", hex(kSeedA)},
          {"author", hex(author.public_key())},
          {"log_key", hex(log_key)},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- private entries

struct PrivateInput {
  Bytes entry_id;
  model::Payload payload;
  json description;
  Bytes nonce;
};

json private_entry_vectors() {
  const Bytes local_key = counting(32, 0x60);
  const Secret key = Secret::copy_of(local_key);
  const model::ReflectionPut draft = reflection(0xd0, "not ready to share this yet", {"unsure"});
  model::CheckIn check_in;
  check_in.check_in_id = to_array<16>(counting(16, 0xc0));
  check_in.capacity = model::Capacity::kYellow;
  check_in.feelings = {"tired", "hopeful"};
  check_in.need = "a quiet evening";
  const std::vector<PrivateInput> inputs = {
      {counting(16, 0x10), draft, describe(draft), counting(24, 0x30)},
      {counting(16, 0x20), check_in, describe(check_in), counting(24, 0x48)},
  };
  json vectors = json::array();
  for (const PrivateInput& in : inputs) {
    const Bytes plain = wire::encode_payload(in.payload);
    const Bytes ad = store::private_entry_ad(in.entry_id);
    vectors.push_back({{"entry_id", hex(in.entry_id)},
                       {"payload", in.description},
                       {"nonce", hex(in.nonce)},
                       {"payload_bytes", hex(plain)},
                       {"ad", hex(ad)},
                       {"sealed", hex(crypto::seal_with_nonce(key, in.nonce, plain, ad))}});
  }
  return {{"description",
           "Private entries at rest (PROTOCOL.md §6, this implementation's own format): the "
           "payload's capnp bytes sealed with XChaCha20-Poly1305 under the local key with the "
           "given nonce, AD = \"hearth/private/v1\" || entry_id, as nonce || ciphertext || tag"},
          {"local_key", hex(local_key)},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- pair key

Secret pair_key(const crypto::DeviceIdentity& self, const Key32& partner) {
  auto key = proto::derive_pair_key(self, partner);
  REQUIRE(key.is_ok());
  return std::move(key).value();
}

json pair_key_vector(ByteView seed_a, ByteView seed_b) {
  const crypto::DeviceIdentity a = device_from_seed(seed_a);
  const crypto::DeviceIdentity b = device_from_seed(seed_b);
  const Secret on_a = pair_key(a, b.public_key());
  REQUIRE(on_a.equals(pair_key(b, a.public_key())));
  return {{"seed_a", hex(seed_a)},
          {"seed_b", hex(seed_b)},
          {"device_key_a", hex(a.public_key())},
          {"device_key_b", hex(b.public_key())},
          {"pair_key", hex(on_a)}};
}

json pair_key_vectors() {
  json vectors = json::array();
  vectors.push_back(pair_key_vector(kSeedA, kSeedB));
  vectors.push_back(pair_key_vector(kSeedC, kSeedA));
  return {{"description",
           "The pair key (PROTOCOL.md §5.3): BLAKE2b-256 keyed by X25519(own transport secret, "
           "partner's transport public) over \"hearth/pair/v1\" || lower device key || higher "
           "device key; both devices of a pair derive the same key"},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- beacons

json beacon_vector(const Secret& key, const crypto::DeviceIdentity& sender, uint16_t port,
                   int64_t unix_seconds, const proto::BeaconNonce& nonce) {
  const Bytes beacon = proto::make_beacon(key, sender.public_key(), port, unix_seconds, nonce);
  REQUIRE(beacon.size() == proto::kBeaconBytes);
  const ByteView b(beacon);
  return {{"sender", hex(sender.public_key())},
          {"port", port},
          {"unix_seconds", unix_seconds},
          {"nonce", hex(nonce)},
          {"window", proto::beacon_window(unix_seconds)},
          {"beacon", hex(beacon)},
          {"masked_port", hex(b.subspan(proto::kBeaconNonceBytes, 2))},
          {"tag", hex(b.subspan(proto::kBeaconNonceBytes + 2))}};
}

json beacon_vectors() {
  const crypto::DeviceIdentity a = device_from_seed(kSeedA);
  const crypto::DeviceIdentity b = device_from_seed(kSeedB);
  const Secret key = pair_key(a, b.public_key());
  json vectors = json::array();
  vectors.push_back(beacon_vector(key, a, 7420, kNewYearSeconds + 30,
                                  to_array<proto::kBeaconNonceBytes>(counting(16, 0x70))));
  vectors.push_back(beacon_vector(key, b, 51234, kNewYearSeconds + 59,
                                  to_array<proto::kBeaconNonceBytes>(counting(16, 0x90))));
  return {{"description",
           "LAN beacons (PROTOCOL.md §5.3), under the pair key of the first vector of "
           "pair-key.json: nonce || port XOR mask || tag, mask = the first 2 bytes of "
           "BLAKE2b-256(key = pair_key, \"hearth/beacon/port\" || nonce), tag = the first 16 "
           "bytes of BLAKE2b-256(key = pair_key, \"hearth/beacon/v1\" || sender || nonce || port "
           "(2) || window (8, big-endian)), window = floor(unix seconds / 60)"},
          {"pair_key", hex(key)},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- code pairing

struct PairingInput {
  std::string code;
  Bytes sid;
  Bytes scalar_b;  // the joiner's (B, CPace initiator: Ya)
  Bytes scalar_a;  // the inviter's (A, CPace responder: Yb)
};

crypto::cpace::Share share_of(const PairingInput& in, const Bytes& scalar) {
  auto share = crypto::cpace::start_with_scalar(
      as_bytes(in.code), proto::pairing_channel_identifier(), in.sid, scalar);
  REQUIRE(share.is_ok());
  return std::move(share).value();
}

json pairing_vector(const PairingInput& in) {
  namespace cpace = crypto::cpace;
  const cpace::Share joiner = share_of(in, in.scalar_b);
  const cpace::Share inviter = share_of(in, in.scalar_a);
  const ByteView ad_initiator = as_bytes(proto::kCpaceAdInitiator);
  const ByteView ad_responder = as_bytes(proto::kCpaceAdResponder);
  auto isk = cpace::isk_initiator_responder(joiner, cpace::Role::kInitiator, ad_initiator,
                                            inviter.y_public, ad_responder, in.sid);
  auto isk_a = cpace::isk_initiator_responder(inviter, cpace::Role::kResponder, ad_responder,
                                              joiner.y_public, ad_initiator, in.sid);
  REQUIRE(isk.is_ok());
  REQUIRE(isk_a.is_ok());
  REQUIRE(isk->equals(*isk_a));
  return {{"code", in.code},
          {"sid", hex(in.sid)},
          {"scalar_b", hex(in.scalar_b)},
          {"scalar_a", hex(in.scalar_a)},
          {"ci", hex(proto::pairing_channel_identifier())},
          {"ya", hex(joiner.y_public)},
          {"yb", hex(inviter.y_public)},
          {"isk", hex(*isk)},
          {"confirm_a", hex(proto::pairing_confirm_a(*isk))},
          {"confirm_b", hex(proto::pairing_confirm_b(*isk))},
          {"psk", hex(proto::pairing_psk(*isk))},
          {"prologue", hex(proto::pairing_prologue(in.sid, joiner.y_public, inviter.y_public))}};
}

// A scalar below the group order: its most significant byte (the last) is 0.
Bytes scalar(uint8_t first) {
  Bytes s = counting(32, first);
  s.back() = 0;
  return s;
}

json pairing_vectors() {
  json vectors = json::array();
  vectors.push_back(
      pairing_vector({"maple-river-otter", counting(16, 0x50), scalar(0x11), scalar(0x31)}));
  vectors.push_back(
      pairing_vector({"aardvark-zoo-zoology", counting(16, 0xe0), scalar(0x51), scalar(0x71)}));
  return {{"description",
           "Pairing by code (PROTOCOL.md §5.2): CPace (draft-irtf-cfrg-cpace-21, ristretto255 + "
           "SHA-512) with PRS = the code, CI = lv_cat(\"hearth/pair/v1\"), ADa = \"initiator\", "
           "ADb = \"responder\"; the joiner B (initiator) sends Ya = scalar_b * g, the inviter A "
           "Yb = scalar_a * g (scalars little-endian); ISK as the draft's initiator-responder "
           "ISK; confirm_A, confirm_B and psk are BLAKE2b-256 keyed by the ISK over "
           "\"hearth/pair/confirm/A\", \"hearth/pair/confirm/B\" and \"hearth/pair/psk/v1\"; the "
           "Noise prologue is \"hearth/pair/1\" || sid || Ya || Yb"},
          {"ad_initiator", std::string(proto::kCpaceAdInitiator)},
          {"ad_responder", std::string(proto::kCpaceAdResponder)},
          {"vectors", vectors}};
}

// ---------------------------------------------------------------- confirmation phrase

json phrase_vector(ByteView handshake_hash) {
  const Hash32 c = crypto::confirmation_digest(handshake_hash);
  json indices = json::array();
  for (uint16_t index : crypto::confirmation_indices(c)) indices.push_back(index);
  return {{"handshake_hash", hex(handshake_hash)},
          {"c", hex(c)},
          {"indices", indices},
          {"phrase", crypto::confirmation_phrase(handshake_hash)}};
}

json phrase_vectors() {
  json vectors = json::array();
  vectors.push_back(phrase_vector(Bytes(32, 0)));  // the worked example of §5.2
  vectors.push_back(phrase_vector(Bytes(64, 0)));
  vectors.push_back(phrase_vector(counting(64, 0x00)));
  vectors.push_back(phrase_vector(Bytes(64, 0xff)));
  return {{"description",
           "The confirmation phrase (PROTOCOL.md §5.2): c = BLAKE2b-256(\"hearth/pair-confirm/v1\" "
           "|| handshake hash); c[0..6] as a 48-bit big-endian integer b; word i (0..3) is the "
           "word of schema/pairing-words.txt at index (b >> (48 - 11 (i + 1))) & 2047, the "
           "words joined by one space. The first vector is the worked example of §5.2 (32 zero "
           "bytes), the others are 64-byte hashes as the handshake gives"},
          {"vectors", vectors}};
}

}  // namespace

TEST_CASE("known-answer vectors: device IDs (schema/vectors/device-id.json)") {
  const json stored = settle("device-id.json", device_id_vectors());
  for (const json& v : stored.at("vectors")) {
    const Key32 key = array_of<32>(v.at("device_key"));
    auto parsed = crypto::parse_device_id(v.at("device_id").get<std::string>());
    REQUIRE(parsed.is_ok());
    CHECK(*parsed == key);
    std::string altered = v.at("device_id").get<std::string>();
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(crypto::parse_device_id(altered).is_ok());
  }
}

TEST_CASE("known-answer vectors: events (schema/vectors/event.json)") {
  const json stored = settle("event.json", event_vectors());
  const Key32 author = array_of<32>(stored.at("author"));
  const Secret log_key = Secret::copy_of(bytes_of(stored.at("log_key")));
  Hash32 prev{};
  for (const json& v : stored.at("vectors")) {
    INFO("seq " << v.at("seq"));
    CHECK(array_of<32>(v.at("prev")) == prev);
    prev = array_of<32>(v.at("event_id"));
    const Bytes header = bytes_of(v.at("header"));
    CHECK(header.size() == (v.at("wall_time").get<int64_t>() != 0 ? 152 : 144));
    auto decoded = wire::decode_header(header);
    REQUIRE(decoded.is_ok());
    CHECK(decoded->author == author);
    CHECK(decoded->seq == v.at("seq").get<uint64_t>());
    CHECK(decoded->lamport == v.at("lamport").get<uint64_t>());
    CHECK(decoded->wall_ms == v.at("wall_time").get<int64_t>());
    CHECK(decoded->body_hash == array_of<32>(v.at("body_hash")));
    CHECK(wire::verify_event_signature(author, header, bytes_of(v.at("signature"))));
    auto payload = wire::open_event_body(log_key, *decoded, bytes_of(v.at("body")));
    REQUIRE(payload.is_ok());
    CHECK(wire::encode_payload(*payload) == bytes_of(v.at("payload_bytes")));
  }
}

TEST_CASE("known-answer vectors: private entries (schema/vectors/private-entry.json)") {
  const json stored = settle("private-entry.json", private_entry_vectors());
  const Secret local_key = Secret::copy_of(bytes_of(stored.at("local_key")));
  for (const json& v : stored.at("vectors")) {
    const Bytes ad = store::private_entry_ad(bytes_of(v.at("entry_id")));
    auto plain = crypto::open(local_key, bytes_of(v.at("sealed")), ad);
    REQUIRE(plain.is_ok());
    CHECK(to_hex(plain->view()) == v.at("payload_bytes").get<std::string>());
    CHECK(wire::decode_payload(plain->view()).is_ok());
  }
}

TEST_CASE("known-answer vectors: the pair key (schema/vectors/pair-key.json)") {
  settle("pair-key.json", pair_key_vectors());
}

TEST_CASE("known-answer vectors: beacons (schema/vectors/beacon.json)") {
  const json stored = settle("beacon.json", beacon_vectors());
  for (const json& v : stored.at("vectors")) {
    proto::BeaconReader reader(Secret::copy_of(bytes_of(stored.at("pair_key"))),
                               array_of<32>(v.at("sender")));
    const auto port = reader.read(bytes_of(v.at("beacon")), v.at("unix_seconds").get<int64_t>());
    REQUIRE(port.has_value());
    CHECK(*port == v.at("port").get<uint16_t>());
  }
}

TEST_CASE("known-answer vectors: pairing by code (schema/vectors/pairing.json)") {
  settle("pairing.json", pairing_vectors());
}

TEST_CASE(
    "known-answer vectors: the confirmation phrase (schema/vectors/confirmation-phrase.json)") {
  const json stored = settle("confirmation-phrase.json", phrase_vectors());
  for (const json& v : stored.at("vectors")) {
    // The indices are the words' places in the list.
    const std::string phrase = v.at("phrase").get<std::string>();
    std::vector<std::string> words(1);
    for (char c : phrase) {
      if (c == ' ') {
        words.emplace_back();
      } else {
        words.back().push_back(c);
      }
    }
    REQUIRE(words.size() == crypto::kConfirmationWords);
    for (size_t i = 0; i < words.size(); ++i) {
      auto index = crypto::pairing_word_index(words[i]);
      REQUIRE(index.has_value());
      CHECK(*index == v.at("indices").at(i).get<uint16_t>());
    }
  }
}
