// The Noise Protocol Framework (revision 34) for one suite: 25519, ChaChaPoly, BLAKE2b.
//
// Hearth uses two handshakes (docs/DESIGN.md §6.1, §7.1): Noise_IK for sessions between
// paired devices and Noise_XXpsk3 for pairing, keyed by the CPace result. This
// module implements the interactive base patterns IK, KK and XX with any pskN
// modifiers (XXpsk3, IKpsk2, KKpsk0+psk2, ...). One-way and deferred patterns
// are not supported.
//
// Suite details, as the spec defines them:
//   DH     X25519 (crypto_scalarmult). An all-zero result, which a low-order
//          public key produces, fails the handshake (kAuthFailed).
//   cipher ChaCha20-Poly1305 IETF; nonce = 4 zero bytes || 64-bit little-endian
//          counter. Counter 2^64-1 is reserved: a CipherState refuses to go there.
//   hash   BLAKE2b-512; HMAC-BLAKE2b per RFC 2104 with a 128-byte block; HKDF
//          as in the spec (HASHLEN 64, cipher keys are the first 32 bytes).
//
// Every Noise message, handshake or transport, is at most kMaxMessage bytes;
// longer ones are refused on write and on read.
//
// Thread-safety: none of these objects may be used from two threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::crypto::noise {

inline constexpr size_t kMaxMessage = 65535;
inline constexpr size_t kKeyBytes = 32;   // DHLEN, cipher key and PSK size
inline constexpr size_t kTagBytes = 16;   // Poly1305 tag
inline constexpr size_t kHashBytes = 64;  // HASHLEN
using HandshakeHash = std::array<uint8_t, kHashBytes>;

enum class BasePattern : uint8_t { kIK, kKK, kXX };

// A handshake pattern: a base pattern plus pskN modifiers. psk_positions has
// bit N set for "pskN"; N may be 0 up to the pattern's number of messages
// (2 for IK and KK, 3 for XX).
struct Pattern {
  BasePattern base = BasePattern::kXX;
  uint8_t psk_positions = 0;

  // "IK", "XXpsk3", "KKpsk0+psk2": the pattern part of a protocol name.
  std::string name() const;
  // Parses name()'s format: modifiers in increasing order, each at most once.
  static Result<Pattern> parse(std::string_view name);
  bool operator==(const Pattern&) const = default;
};

inline constexpr Pattern kIK{BasePattern::kIK, 0};
inline constexpr Pattern kKK{BasePattern::kKK, 0};
inline constexpr Pattern kXX{BasePattern::kXX, 0};
inline constexpr Pattern kXXpsk3{BasePattern::kXX, 1u << 3};

// "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b".
std::string protocol_name(const Pattern& pattern);

// An X25519 key pair. The public key always matches the private key.
class Keypair {
 public:
  static Keypair generate();
  // private_key must be 32 bytes (any value: X25519 clamps it).
  static Result<Keypair> from_private(Secret private_key);

  const Secret& private_key() const { return private_key_; }
  const Key32& public_key() const { return public_key_; }
  Keypair clone() const;

 private:
  Keypair(Secret sk, const Key32& pk) : private_key_(std::move(sk)), public_key_(pk) {}
  Secret private_key_;
  Key32 public_key_{};
};

// One direction of a transport: a key and a message counter.
// encrypt_with_ad/decrypt_with_ad use and then advance the counter; a failed
// decryption leaves it where it was (the spec's rule). Hearth closes a session
// on the first failure, since the transport is an ordered TCP stream.
class CipherState {
 public:
  CipherState() = default;           // no key: encrypt and decrypt refuse
  explicit CipherState(Secret key);  // key: kKeyBytes; counter starts at 0

  CipherState(CipherState&&) noexcept = default;
  CipherState& operator=(CipherState&&) noexcept = default;
  CipherState(const CipherState&) = delete;
  CipherState& operator=(const CipherState&) = delete;

  // Returns ciphertext || tag. Refuses (kInvalidArgument) a plaintext longer
  // than kMaxMessage - kTagBytes, and (kRefused) when there is no key or the
  // counter has reached 2^64-1.
  Result<Bytes> encrypt_with_ad(ByteView ad, ByteView plaintext);
  // kCorrupt for a ciphertext shorter than a tag or longer than kMaxMessage,
  // kAuthFailed if it does not verify, kRefused as for encrypt_with_ad.
  Result<Bytes> decrypt_with_ad(ByteView ad, ByteView ciphertext);

  bool has_key() const { return !key_.empty(); }
  uint64_t nonce() const { return nonce_; }

 private:
  friend struct CipherStateTestAccess;  // tests: to reach the reserved counter
  Secret key_;
  uint64_t nonce_ = 0;
};

struct TransportPair {
  CipherState send;
  CipherState recv;
};

struct HandshakeConfig {
  Pattern pattern;
  bool initiator = false;
  // Mixed into the handshake hash; both sides must use the same bytes. Only
  // read during create().
  ByteView prologue;
  std::optional<Keypair> static_keypair;  // s: required, every supported pattern has one
  // rs known in advance: required exactly when the pattern pre-shares it (IK
  // initiator, KK both sides) and refused otherwise, since the other patterns
  // transmit it (read it from remote_static() instead).
  std::optional<Key32> remote_static;
  // One kKeyBytes secret per psk modifier, in token order.
  std::vector<Secret> psks;
  // Known-answer tests only: the ephemeral key to use instead of a random one.
  std::optional<Keypair> fixed_ephemeral;
};

// One side of a handshake. Call write_message and read_message in the
// pattern's order (is_my_turn() says which), then split() once is_complete().
//
// Each message is processed on a copy of the state, which replaces the state
// only if every token succeeded. A read that fails for any reason, and a write
// that fails in its key agreement, leave the handshake failed: every key is
// wiped and every later call is refused. Calls made in the wrong order, and a
// write whose message would exceed kMaxMessage, are refused and change nothing.
class HandshakeState {
 public:
  // kInvalidArgument if the config does not fit the pattern (see HandshakeConfig).
  static Result<HandshakeState> create(HandshakeConfig config);

  HandshakeState(HandshakeState&&) noexcept;
  HandshakeState& operator=(HandshakeState&&) noexcept;
  ~HandshakeState();

  // Returns the next handshake message carrying payload (encrypted once the
  // pattern has a key).
  Result<Bytes> write_message(ByteView payload);
  // Returns the payload of the peer's next handshake message. Errors: kCorrupt
  // (wrong length), kAuthFailed (does not verify, or a low-order key).
  Result<Bytes> read_message(ByteView message);

  bool is_my_turn() const;   // the next call is write_message
  bool is_complete() const;  // every handshake message is done (also after split)
  bool has_failed() const;
  // The peer's static public key once known (pre-shared or received); nullopt
  // before that and after a failure.
  std::optional<Key32> remote_static() const;
  // h after the last handshake message; the same on both sides. Requires
  // is_complete().
  HandshakeHash handshake_hash() const;
  // The transport keys for this side; once only, when is_complete(). Wipes the
  // chaining key; remote_static() and handshake_hash() stay available.
  Result<TransportPair> split();

 private:
  struct State;
  explicit HandshakeState(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;  // null only when moved from
};

}  // namespace hearth::crypto::noise
