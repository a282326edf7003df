// The session handshake between paired devices (schema/PROTOCOL.md §3.1, §3.3):
//
//   dialer -> listener   0x01                      prelude: a session follows
//   dialer -> listener   Noise IK message 1        payload: dialer's Ed25519 device key
//                                                  || timestamp (8, big-endian)
//   listener -> dialer   Noise IK message 2        payload: empty
//
// Noise_IK_25519_ChaChaPoly_BLAKE2b, prologue "hearth/1". Static keys are the
// X25519 keys derived from the Ed25519 device keys. The listener answers only
// if the payload is its partner's device key, that key's X25519 form is the
// Noise static key the dialer proved, and the timestamp is newer than every
// one it accepted from that device before (a ReplayGuard keeps them);
// otherwise it closes without a word. Message 1 can be recorded and sent
// again by anyone, so its timestamp is what makes a replay worthless: as
// WireGuard's TAI64N. (Message 1 alone proves nothing fresh about the
// dialer: the link it opens is trusted only once the dialer's first
// transport message opens, net/sync_service.h.)
// Prelude 0x02 is code pairing (proto/pairing.h): the sync service reads the
// prelude and hands such a connection over (net/handshake_io.h read_prelude,
// respond_session_after_prelude). Any other value is refused.
//
// SessionInitiator and SessionResponder are the two sides without sockets;
// net/handshake_io.h runs them on a TCP socket.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "crypto/identity.h"
#include "crypto/noise.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::proto {

inline constexpr uint8_t kPreludeSession = 0x01;
inline constexpr uint8_t kPreludePairing = 0x02;
inline constexpr std::string_view kSessionPrologue = "hearth/1";
inline constexpr std::chrono::seconds kHandshakeTimeout{10};
// Message 1's timestamp: 8 bytes, big-endian, at most kMaxHandshakeTimestamp
// (what SQLite's INTEGER holds). Milliseconds since the Unix epoch as the
// dialer's clock gives them, but never one that is not greater than the last
// it sent to the same listener (store/handshake_clock.h).
inline constexpr size_t kHandshakeTimestampBytes = 8;
inline constexpr uint64_t kMaxHandshakeTimestamp = (uint64_t{1} << 62);
// The messages' exact sizes: message 1 is e (32), s (32 + 16) and a 40-byte
// payload (32 + 8 + 16); message 2 is e (32) and an empty payload (16).
inline constexpr size_t kFirstPayloadBytes = sizeof(Key32) + kHandshakeTimestampBytes;
inline constexpr size_t kFirstMessageBytes = 32 + 48 + kFirstPayloadBytes + 16;  // 136
inline constexpr size_t kSecondMessageBytes = 48;

// What the listener read from a message 1.
struct FirstMessage {
  Key32 peer{};  // the dialer's device key (the partner's)
  uint64_t timestamp = 0;
};

// The listener's memory of the timestamps it accepted (PROTOCOL.md §3.3).
class ReplayGuard {
 public:
  virtual ~ReplayGuard() = default;
  // OK, and remembered durably before it returns, if `timestamp` is greater
  // than every one accepted from `peer` before; kRefused (nothing changed)
  // otherwise; another code if it cannot be remembered.
  virtual Status admit(const Key32& peer, uint64_t timestamp) = 0;
};

// The dialer's side.
class SessionInitiator {
 public:
  // kInvalidArgument if `partner` is not a valid Ed25519 public key.
  static Result<SessionInitiator> create(const crypto::DeviceIdentity& self, const Key32& partner);
  // Message 1, carrying this device's Ed25519 key and `timestamp` (at most
  // kMaxHandshakeTimestamp). Call once.
  Result<Bytes> first_message(uint64_t timestamp);
  // Reads message 2 and returns this side's transport keys.
  Result<crypto::noise::TransportPair> finish(ByteView second_message);

 private:
  SessionInitiator(crypto::noise::HandshakeState hs, const Key32& self)
      : hs_(std::move(hs)), self_(self) {}
  crypto::noise::HandshakeState hs_;
  Key32 self_;
};

// The listener's side.
class SessionResponder {
 public:
  static Result<SessionResponder> create(const crypto::DeviceIdentity& self);
  // Reads message 1 and returns the dialer's device key, if it is `partner`,
  // and its timestamp (which the caller checks with a ReplayGuard).
  //   kRefused: a device that is not the partner (or no partner is paired),
  //             or whose device key does not match its Noise static key; the
  //             message names the device ("... an unknown device ABCDEFG").
  //   kCorrupt / kAuthFailed: not a valid message 1.
  Result<FirstMessage> read_first(ByteView first_message, const std::optional<Key32>& partner);
  // Message 2; only after read_first succeeded.
  Result<Bytes> second_message();
  Result<crypto::noise::TransportPair> split();

 private:
  explicit SessionResponder(crypto::noise::HandshakeState hs) : hs_(std::move(hs)) {}
  crypto::noise::HandshakeState hs_;
};

// Message 1's plaintext payload, and back. For SessionInitiator and
// SessionResponder, and for tests that forge one.
Bytes first_payload(const Key32& device_key, uint64_t timestamp);

struct Authenticated {
  crypto::noise::TransportPair transport;
  Key32 peer{};  // the other side's Ed25519 device key
};

}  // namespace hearth::proto
