#include "crypto/noise.h"

#include <doctest/doctest.h>
#include <sodium.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace hearth::crypto::noise {
// Reaches the counter so the reserved nonce can be tested without 2^64 messages.
struct CipherStateTestAccess {
  static void set_nonce(CipherState& cipher, uint64_t n) { cipher.nonce_ = n; }
};
}  // namespace hearth::crypto::noise

using namespace hearth;
using namespace hearth::crypto::noise;
using json = nlohmann::json;

namespace {

const ByteView kPrologue = as_bytes("hearth/1");

// ---------------------------------------------------------------------------
// Known-answer vectors (tests/vectors/noise/SOURCE.md)

Bytes hex(const json& value) {
  Bytes out;
  REQUIRE(value.is_string());
  REQUIRE(from_hex(value.get<std::string>(), out));
  return out;
}

Keypair keypair_from_hex(const json& value) {
  Bytes raw = hex(value);
  Result<Keypair> pair = Keypair::from_private(Secret::copy_of(ByteView(raw)));
  sodium_memzero(raw.data(), raw.size());
  REQUIRE(pair.is_ok());
  return std::move(pair).value();
}

json load_vectors(const std::string& file) {
  std::ifstream in(std::string(HEARTH_TEST_VECTORS_DIR "/noise/") + file);
  REQUIRE(in.good());
  json doc = json::parse(in);
  REQUIRE(doc.contains("vectors"));
  return doc["vectors"];
}

// "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b" -> XXpsk3; nullopt for other suites
// and patterns this module does not implement.
std::optional<Pattern> vector_pattern(const std::string& protocol) {
  const std::string prefix = "Noise_";
  const std::string suffix = "_25519_ChaChaPoly_BLAKE2b";
  if (protocol.size() <= prefix.size() + suffix.size()) return std::nullopt;
  if (!protocol.starts_with(prefix) || !protocol.ends_with(suffix)) return std::nullopt;
  Result<Pattern> pattern = Pattern::parse(
      protocol.substr(prefix.size(), protocol.size() - prefix.size() - suffix.size()));
  if (!pattern) return std::nullopt;
  CHECK(protocol_name(*pattern) == protocol);
  return *pattern;
}

HandshakeState vector_side(const json& v, const Pattern& pattern, bool initiator,
                           const Bytes& prologue) {
  const std::string role = initiator ? "init_" : "resp_";
  HandshakeConfig config;
  config.pattern = pattern;
  config.initiator = initiator;
  config.prologue = prologue;
  config.static_keypair = keypair_from_hex(v.at(role + "static"));
  config.fixed_ephemeral = keypair_from_hex(v.at(role + "ephemeral"));
  const bool remote_known =
      pattern.base == BasePattern::kKK || (pattern.base == BasePattern::kIK && initiator);
  if (remote_known) {
    Bytes rs = hex(v.at(role + "remote_static"));
    REQUIRE(rs.size() == 32);
    config.remote_static = to_array<32>(rs);
  }
  if (v.contains(role + "psks")) {
    for (const json& psk : v.at(role + "psks"))
      config.psks.push_back(Secret::copy_of(ByteView(hex(psk))));
  }
  Result<HandshakeState> state = HandshakeState::create(std::move(config));
  REQUIRE(state.is_ok());
  return std::move(state).value();
}

Key32 public_of(const json& private_hex) { return keypair_from_hex(private_hex).public_key(); }

// Runs one vector end to end: every handshake message both ways, the
// handshake hash, and every transport message after split().
void run_vector(const json& v, const Pattern& pattern) {
  const Bytes init_prologue = hex(v.at("init_prologue"));
  const Bytes resp_prologue = hex(v.at("resp_prologue"));
  HandshakeState init = vector_side(v, pattern, true, init_prologue);
  HandshakeState resp = vector_side(v, pattern, false, resp_prologue);
  std::optional<TransportPair> init_transport;
  std::optional<TransportPair> resp_transport;

  const json& messages = v.at("messages");
  REQUIRE(messages.size() > 0);
  size_t index = 0;
  for (const json& message : messages) {
    INFO("message " << index);
    const Bytes payload = hex(message.at("payload"));
    const Bytes ciphertext = hex(message.at("ciphertext"));
    const bool from_initiator = index % 2 == 0;
    if (!init_transport) {
      HandshakeState& writer = from_initiator ? init : resp;
      HandshakeState& reader = from_initiator ? resp : init;
      REQUIRE(writer.is_my_turn());
      REQUIRE_FALSE(reader.is_my_turn());
      Result<Bytes> written = writer.write_message(payload);
      REQUIRE(written.is_ok());
      CHECK(to_hex(*written) == to_hex(ciphertext));
      Result<Bytes> read = reader.read_message(ciphertext);
      REQUIRE(read.is_ok());
      CHECK(to_hex(*read) == to_hex(payload));
      if (init.is_complete()) {
        REQUIRE(resp.is_complete());
        if (v.contains("handshake_hash")) {
          CHECK(to_hex(init.handshake_hash()) == v.at("handshake_hash").get<std::string>());
        }
        CHECK(init.handshake_hash() == resp.handshake_hash());
        REQUIRE(init.remote_static().has_value());
        REQUIRE(resp.remote_static().has_value());
        CHECK(*init.remote_static() == public_of(v.at("resp_static")));
        CHECK(*resp.remote_static() == public_of(v.at("init_static")));
        Result<TransportPair> a = init.split();
        Result<TransportPair> b = resp.split();
        REQUIRE(a.is_ok());
        REQUIRE(b.is_ok());
        init_transport = std::move(a).value();
        resp_transport = std::move(b).value();
      } else {
        REQUIRE_FALSE(resp.is_complete());
      }
    } else {
      CipherState& sender = from_initiator ? init_transport->send : resp_transport->send;
      CipherState& receiver = from_initiator ? resp_transport->recv : init_transport->recv;
      Result<Bytes> sealed = sender.encrypt_with_ad({}, payload);
      REQUIRE(sealed.is_ok());
      CHECK(to_hex(*sealed) == to_hex(ciphertext));
      Result<Bytes> opened = receiver.decrypt_with_ad({}, ciphertext);
      REQUIRE(opened.is_ok());
      CHECK(to_hex(*opened) == to_hex(payload));
    }
    ++index;
  }
  CHECK(init_transport.has_value());  // every vector completes its handshake
}

// Runs every supported vector of a file; returns the protocol names run.
std::set<std::string> run_vector_file(const std::string& file, const std::string& name_field,
                                      size_t expected_entries) {
  const json vectors = load_vectors(file);
  REQUIRE(vectors.size() == expected_entries);
  std::set<std::string> ran;
  for (const json& v : vectors) {
    const std::string name = v.at(name_field).get<std::string>();
    INFO(file << ": " << name);
    std::optional<Pattern> pattern = vector_pattern(name);
    if (!pattern) continue;
    run_vector(v, *pattern);
    CHECK(ran.insert(name).second);
  }
  return ran;
}

// ---------------------------------------------------------------------------
// Helpers for behaviour tests

HandshakeState make(const Pattern& pattern, bool initiator, const Keypair& s,
                    std::optional<Key32> rs = std::nullopt, std::vector<Secret> psks = {}) {
  HandshakeConfig config;
  config.pattern = pattern;
  config.initiator = initiator;
  config.prologue = kPrologue;
  config.static_keypair = s.clone();
  config.remote_static = rs;
  config.psks = std::move(psks);
  Result<HandshakeState> state = HandshakeState::create(std::move(config));
  REQUIRE(state.is_ok());
  return std::move(state).value();
}

std::vector<Secret> one_psk(const Secret& psk) {
  std::vector<Secret> psks;
  psks.push_back(Secret::copy_of(psk.view()));
  return psks;
}

Bytes bytes_of(std::string_view text) {
  ByteView view = as_bytes(text);
  return Bytes(view.begin(), view.end());
}

// Writes on `writer`, reads on `reader`, checks the payload arrives.
Bytes exchange(HandshakeState& writer, HandshakeState& reader, std::string_view payload) {
  Result<Bytes> message = writer.write_message(as_bytes(payload));
  REQUIRE(message.is_ok());
  Result<Bytes> read = reader.read_message(*message);
  REQUIRE(read.is_ok());
  CHECK(*read == bytes_of(payload));
  return *message;
}

void check_unusable(HandshakeState& state, ByteView message) {
  CHECK(state.has_failed());
  CHECK_FALSE(state.is_my_turn());
  CHECK_FALSE(state.is_complete());
  CHECK(state.remote_static() == std::nullopt);
  CHECK(state.write_message(as_bytes("more")).status().code() == Code::kRefused);
  CHECK(state.read_message(message).status().code() == Code::kRefused);
  CHECK(state.split().status().code() == Code::kRefused);
}

}  // namespace

// ---------------------------------------------------------------------------
// Known answers

TEST_CASE("the cacophony vectors pass for every supported pattern") {
  std::set<std::string> ran =
      run_vector_file("cacophony_25519_ChaChaPoly_BLAKE2b.json", "protocol_name", 59);
  CHECK(ran.size() == 8);  // IK, IKpsk1, IKpsk2, KK, KKpsk0, KKpsk2, XX, XXpsk3
  for (const char* required :
       {"Noise_IK_25519_ChaChaPoly_BLAKE2b", "Noise_KK_25519_ChaChaPoly_BLAKE2b",
        "Noise_XX_25519_ChaChaPoly_BLAKE2b", "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b",
        "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b", "Noise_KKpsk0_25519_ChaChaPoly_BLAKE2b"}) {
    CHECK_MESSAGE(ran.count(required) == 1, std::string(required));
  }
}

TEST_CASE("the snow vectors pass for every supported pattern") {
  std::set<std::string> ran =
      run_vector_file("snow_25519_ChaChaPoly_BLAKE2b.json", "protocol_name", 51);
  // IK, IKpsk0+psk2, KK, KKpsk0+psk2, XX, XXpsk0+psk1, XXpsk0+psk2, XXpsk0+psk3,
  // XXpsk0+psk1+psk2+psk3
  CHECK(ran.size() == 9);
  CHECK(ran.count("Noise_XXpsk0+psk1+psk2+psk3_25519_ChaChaPoly_BLAKE2b") == 1);
  CHECK(ran.count("Noise_IK_25519_ChaChaPoly_BLAKE2b") == 1);
}

TEST_CASE("the noise-c vectors pass for every supported pattern") {
  std::set<std::string> ran =
      run_vector_file("noise-c-basic_25519_ChaChaPoly_BLAKE2b.json", "name", 15);
  CHECK(ran == std::set<std::string>{"Noise_IK_25519_ChaChaPoly_BLAKE2b",
                                     "Noise_KK_25519_ChaChaPoly_BLAKE2b",
                                     "Noise_XX_25519_ChaChaPoly_BLAKE2b"});
}

// ---------------------------------------------------------------------------
// Behaviour

TEST_CASE("an IK handshake between generated keys agrees on keys and hash") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  exchange(init, resp, "hello");
  exchange(resp, init, "welcome");
  REQUIRE(init.is_complete());
  REQUIRE(resp.is_complete());
  CHECK(init.handshake_hash() == resp.handshake_hash());

  Result<TransportPair> a = init.split();
  Result<TransportPair> b = resp.split();
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  for (int round = 0; round < 3; ++round) {
    Result<Bytes> to_bob = a->send.encrypt_with_ad({}, as_bytes("ping"));
    REQUIRE(to_bob.is_ok());
    Result<Bytes> at_bob = b->recv.decrypt_with_ad({}, *to_bob);
    REQUIRE(at_bob.is_ok());
    CHECK(*at_bob == bytes_of("ping"));
    Result<Bytes> to_alice = b->send.encrypt_with_ad({}, as_bytes("pong"));
    REQUIRE(to_alice.is_ok());
    Result<Bytes> at_alice = a->recv.decrypt_with_ad({}, *to_alice);
    REQUIRE(at_alice.is_ok());
    CHECK(*at_alice == bytes_of("pong"));
  }
  CHECK(a->send.nonce() == 3);
  CHECK(b->recv.nonce() == 3);
  CHECK(init.handshake_hash() == resp.handshake_hash());  // still readable after split
}

TEST_CASE("two IK handshakes with the same keys use fresh ephemerals") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState first = make(kIK, true, alice, bob.public_key());
  HandshakeState second = make(kIK, true, alice, bob.public_key());
  Result<Bytes> m1 = first.write_message({});
  Result<Bytes> m2 = second.write_message({});
  REQUIRE(m1.is_ok());
  REQUIRE(m2.is_ok());
  CHECK(*m1 != *m2);
}

TEST_CASE("an IK responder learns the initiator's static key from the first message") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  REQUIRE(init.remote_static().has_value());
  CHECK(*init.remote_static() == bob.public_key());
  CHECK(resp.remote_static() == std::nullopt);
  exchange(init, resp, "");
  REQUIRE(resp.remote_static().has_value());
  CHECK(*resp.remote_static() == alice.public_key());
  CHECK(resp.is_my_turn());  // the caller decides here whether to answer
}

TEST_CASE("XX and XXpsk3 peers learn each other's static keys") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  const Secret psk = Secret::random(32);
  SUBCASE("XX") {
    HandshakeState init = make(kXX, true, alice);
    HandshakeState resp = make(kXX, false, bob);
    exchange(init, resp, "1");
    exchange(resp, init, "2");
    exchange(init, resp, "3");
    CHECK(*init.remote_static() == bob.public_key());
    CHECK(*resp.remote_static() == alice.public_key());
    CHECK(init.handshake_hash() == resp.handshake_hash());
  }
  SUBCASE("XXpsk3") {
    HandshakeState init = make(kXXpsk3, true, alice, std::nullopt, one_psk(psk));
    HandshakeState resp = make(kXXpsk3, false, bob, std::nullopt, one_psk(psk));
    exchange(init, resp, "1");
    exchange(resp, init, "2");
    exchange(init, resp, "3");
    REQUIRE(resp.is_complete());
    CHECK(*init.remote_static() == bob.public_key());
    CHECK(*resp.remote_static() == alice.public_key());
    CHECK(init.handshake_hash() == resp.handshake_hash());
  }
}

TEST_CASE("XXpsk3 with a different PSK on each side fails at the third message") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kXXpsk3, true, alice, std::nullopt, one_psk(Secret::random(32)));
  HandshakeState resp = make(kXXpsk3, false, bob, std::nullopt, one_psk(Secret::random(32)));
  exchange(init, resp, "");
  exchange(resp, init, "");
  Result<Bytes> third = init.write_message(as_bytes("device keys"));
  REQUIRE(third.is_ok());
  Result<Bytes> read = resp.read_message(*third);
  CHECK(read.status().code() == Code::kAuthFailed);
  check_unusable(resp, *third);
}

TEST_CASE("a tampered handshake message is refused and the handshake cannot continue") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  Result<Bytes> first = init.write_message(as_bytes("hello"));
  REQUIRE(first.is_ok());
  REQUIRE(first->size() == 32 + 48 + 5 + 16);
  Bytes tampered = *first;
  SUBCASE("in the ephemeral key") { tampered[3] ^= 0x01; }
  SUBCASE("in the encrypted static key") { tampered[32 + 7] ^= 0x80; }
  SUBCASE("in the static key's tag") { tampered[32 + 40] ^= 0x10; }
  SUBCASE("in the payload") { tampered[32 + 48] ^= 0x01; }
  SUBCASE("in the payload's tag") { tampered.back() ^= 0x01; }
  Result<Bytes> read = resp.read_message(tampered);
  CHECK(read.status().code() == Code::kAuthFailed);
  check_unusable(resp, *first);  // even the genuine message is refused now
}

TEST_CASE("a tampered XX response fails the initiator for good") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kXX, true, alice);
  HandshakeState resp = make(kXX, false, bob);
  exchange(init, resp, "");
  Result<Bytes> second = resp.write_message({});
  REQUIRE(second.is_ok());
  Bytes tampered = *second;
  tampered[40] ^= 0x04;  // inside the responder's encrypted static key
  CHECK(init.read_message(tampered).status().code() == Code::kAuthFailed);
  check_unusable(init, *second);
}

TEST_CASE("a handshake message of the wrong length is refused") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  Result<Bytes> first = init.write_message({});
  REQUIRE(first.is_ok());
  REQUIRE(first->size() == 96);
  SUBCASE("one byte short") {
    CHECK(resp.read_message(ByteView(*first).first(95)).status().code() == Code::kCorrupt);
  }
  SUBCASE("empty") { CHECK(resp.read_message({}).status().code() == Code::kCorrupt); }
  SUBCASE("one byte long") {
    Bytes longer = *first;
    longer.push_back(0);
    CHECK(resp.read_message(longer).status().code() == Code::kAuthFailed);
  }
  check_unusable(resp, *first);
}

TEST_CASE("a low-order public key fails the handshake") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  Bytes order8;
  REQUIRE(from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", order8));
  for (const Key32& low_order : {Key32{}, to_array<32>(order8)}) {
    INFO("point " << to_hex(low_order));
    // As the pre-shared responder key: the first DH (es) gives zero.
    HandshakeState bad_init = make(kIK, true, alice, low_order);
    CHECK(bad_init.write_message({}).status().code() == Code::kAuthFailed);
    CHECK(bad_init.has_failed());

    // As the initiator's ephemeral key, forged on the wire.
    HandshakeState init = make(kIK, true, alice, bob.public_key());
    HandshakeState resp = make(kIK, false, bob);
    Result<Bytes> first = init.write_message({});
    REQUIRE(first.is_ok());
    Bytes forged = *first;
    std::copy(low_order.begin(), low_order.end(), forged.begin());
    CHECK(resp.read_message(forged).status().code() == Code::kAuthFailed);
    check_unusable(resp, *first);
  }
}

TEST_CASE("handshake calls out of turn are refused and change nothing") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  CHECK(resp.write_message({}).status().code() == Code::kRefused);
  CHECK(init.read_message(Bytes(96)).status().code() == Code::kRefused);
  CHECK(init.split().status().code() == Code::kRefused);
  CHECK_FALSE(init.has_failed());
  CHECK_FALSE(resp.has_failed());
  exchange(init, resp, "");
  CHECK(init.write_message({}).status().code() == Code::kRefused);
  exchange(resp, init, "");
  CHECK(init.write_message({}).status().code() == Code::kRefused);
  CHECK(init.split().is_ok());
  CHECK(init.split().status().code() == Code::kRefused);
  CHECK(resp.split().is_ok());
}

TEST_CASE("handshake messages longer than 65535 bytes are refused") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  const size_t overhead = 32 + 48 + 16;  // e, encrypted s, payload tag
  SUBCASE("on write, leaving the state as it was") {
    CHECK(init.write_message(Bytes(kMaxMessage - overhead + 1)).status().code() ==
          Code::kInvalidArgument);
    CHECK(init.is_my_turn());
    Result<Bytes> largest = init.write_message(Bytes(kMaxMessage - overhead));
    REQUIRE(largest.is_ok());
    CHECK(largest->size() == kMaxMessage);
    Result<Bytes> read = resp.read_message(*largest);
    REQUIRE(read.is_ok());
    CHECK(read->size() == kMaxMessage - overhead);
  }
  SUBCASE("on read") {
    CHECK(resp.read_message(Bytes(kMaxMessage + 1)).status().code() == Code::kCorrupt);
    CHECK(resp.has_failed());
  }
}

TEST_CASE("transport messages longer than 65535 bytes are refused") {
  CipherState send(Secret::random(32));
  CipherState recv(Secret::random(32));
  CHECK(send.encrypt_with_ad({}, Bytes(kMaxMessage - kTagBytes + 1)).status().code() ==
        Code::kInvalidArgument);
  CHECK(send.nonce() == 0);
  Result<Bytes> largest = send.encrypt_with_ad({}, Bytes(kMaxMessage - kTagBytes));
  REQUIRE(largest.is_ok());
  CHECK(largest->size() == kMaxMessage);
  CHECK(recv.decrypt_with_ad({}, Bytes(kMaxMessage + 1)).status().code() == Code::kCorrupt);
  CHECK(recv.decrypt_with_ad({}, Bytes(kTagBytes - 1)).status().code() == Code::kCorrupt);
  CHECK(recv.nonce() == 0);
}

TEST_CASE("a tampered transport message fails to decrypt and does not advance the nonce") {
  const Keypair alice = Keypair::generate();
  const Keypair bob = Keypair::generate();
  HandshakeState init = make(kIK, true, alice, bob.public_key());
  HandshakeState resp = make(kIK, false, bob);
  exchange(init, resp, "");
  exchange(resp, init, "");
  Result<TransportPair> a = init.split();
  Result<TransportPair> b = resp.split();
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  Result<Bytes> sealed = a->send.encrypt_with_ad(as_bytes("ad"), as_bytes("a reflection"));
  REQUIRE(sealed.is_ok());
  Bytes tampered = *sealed;
  tampered[2] ^= 0x01;
  CHECK(b->recv.decrypt_with_ad(as_bytes("ad"), tampered).status().code() == Code::kAuthFailed);
  CHECK(b->recv.decrypt_with_ad(as_bytes("AD"), *sealed).status().code() == Code::kAuthFailed);
  CHECK(b->recv.nonce() == 0);
  Result<Bytes> opened = b->recv.decrypt_with_ad(as_bytes("ad"), *sealed);
  REQUIRE(opened.is_ok());
  CHECK(*opened == bytes_of("a reflection"));
  // A replay is out of order now: the counter moved on.
  CHECK(b->recv.decrypt_with_ad(as_bytes("ad"), *sealed).status().code() == Code::kAuthFailed);
}

TEST_CASE("a cipher state refuses the reserved nonce and refuses without a key") {
  CipherState send(Secret::random(32));
  CipherStateTestAccess::set_nonce(send, UINT64_MAX - 1);
  CHECK(send.encrypt_with_ad({}, as_bytes("last")).is_ok());
  CHECK(send.nonce() == UINT64_MAX);
  CHECK(send.encrypt_with_ad({}, as_bytes("one more")).status().code() == Code::kRefused);
  CHECK(send.decrypt_with_ad({}, Bytes(32)).status().code() == Code::kRefused);

  CipherState keyless;
  CHECK_FALSE(keyless.has_key());
  CHECK(keyless.encrypt_with_ad({}, as_bytes("x")).status().code() == Code::kRefused);
  CHECK(keyless.decrypt_with_ad({}, Bytes(16)).status().code() == Code::kRefused);
}

TEST_CASE("a handshake config that does not fit its pattern is refused") {
  const Keypair me = Keypair::generate();
  const Keypair peer = Keypair::generate();
  auto config = [&](const Pattern& pattern, bool initiator) {
    HandshakeConfig c;
    c.pattern = pattern;
    c.initiator = initiator;
    c.static_keypair = me.clone();
    return c;
  };
  auto code_of = [](HandshakeConfig c) {
    return HandshakeState::create(std::move(c)).status().code();
  };

  CHECK(code_of(config(kIK, true)) == Code::kInvalidArgument);  // no responder key
  HandshakeConfig xx_with_rs = config(kXX, true);
  xx_with_rs.remote_static = peer.public_key();
  CHECK(code_of(std::move(xx_with_rs)) == Code::kInvalidArgument);
  HandshakeConfig ik_resp_with_rs = config(kIK, false);
  ik_resp_with_rs.remote_static = peer.public_key();
  CHECK(code_of(std::move(ik_resp_with_rs)) == Code::kInvalidArgument);
  CHECK(code_of(config(kKK, false)) == Code::kInvalidArgument);
  CHECK(code_of(config(kXXpsk3, true)) == Code::kInvalidArgument);  // no PSK
  HandshakeConfig short_psk = config(kXXpsk3, true);
  short_psk.psks.push_back(Secret::random(31));
  CHECK(code_of(std::move(short_psk)) == Code::kInvalidArgument);
  HandshakeConfig extra_psk = config(kXX, true);
  extra_psk.psks.push_back(Secret::random(32));
  CHECK(code_of(std::move(extra_psk)) == Code::kInvalidArgument);
  HandshakeConfig no_static = config(kXX, true);
  no_static.static_keypair.reset();
  CHECK(code_of(std::move(no_static)) == Code::kInvalidArgument);
  CHECK(code_of(config(Pattern{BasePattern::kIK, 1u << 3}, true)) == Code::kInvalidArgument);

  HandshakeConfig good = config(kKK, true);
  good.remote_static = peer.public_key();
  CHECK(HandshakeState::create(std::move(good)).is_ok());
  CHECK(Keypair::from_private(Secret::random(31)).status().code() == Code::kInvalidArgument);
}

TEST_CASE("pattern names parse and print as in protocol names") {
  CHECK(protocol_name(kIK) == "Noise_IK_25519_ChaChaPoly_BLAKE2b");
  CHECK(protocol_name(kXXpsk3) == "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b");
  for (const char* name : {"IK", "KK", "XX", "XXpsk3", "IKpsk0+psk2", "XXpsk0+psk1+psk2+psk3"}) {
    Result<Pattern> pattern = Pattern::parse(name);
    REQUIRE_MESSAGE(pattern.is_ok(), std::string(name));
    CHECK(pattern->name() == name);
  }
  CHECK(*Pattern::parse("XXpsk3") == kXXpsk3);
  for (const char* name : {"", "NN", "XX1", "IK1", "XXpsk", "XXpsk4", "IKpsk3", "XXpsk3+psk0",
                           "XXpsk1+psk1", "XXpsk1psk2", "XXpsk1+", "xx", "XXpsk10"}) {
    CHECK_MESSAGE(!Pattern::parse(name).is_ok(), std::string(name));
  }
}
