// Code pairing (schema/PROTOCOL.md §5.2): the exchange between the inviter (A, the
// listener, whose `hearth pair invite` made the code) and the joiner (B, who
// dials with `hearth pair join CODE --address A`). After prelude 0x02, every
// message has a 2-byte big-endian length:
//
//   P1  B -> A   0x01 || sid (16) || Ya (32)          CPace share of B (initiator)
//   P2  A -> B   Yb (32) || confirm_A (32)            CPace share of A, key confirmation
//   P3  B -> A   confirm_B (32)
//   N1  B -> A   Noise_XXpsk3 message 1   (e)                       empty payload
//   N2  A -> B   Noise_XXpsk3 message 2   (e, ee, s, es)            A's identity
//   N3  B -> A   Noise_XXpsk3 message 3   (s, se, psk)              B's identity
//   N4  A -> B   transport message, A's sending CipherState: "ok"
//
// CPace (crypto/cpace.h) runs over the code; its ISK gives the two
// confirmations and the Noise psk. Neither side reveals its device key before
// both confirmations verified, so a wrong code teaches the other end nothing
// but that the code was wrong. Each side then checks that the device key in
// the identity payload converts to the Noise static key it received.
//
// PairingJoiner and PairingInviter are the two sides without sockets;
// net/pairing_io.h runs them on a TCP socket.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/cpace.h"
#include "crypto/identity.h"
#include "crypto/noise.h"
#include "model/limits.h"
#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::proto {

inline constexpr uint8_t kPairingVersion = 0x01;
inline constexpr size_t kPairingSidBytes = 16;
inline constexpr size_t kConfirmBytes = 32;
inline constexpr std::string_view kPairingChannel = "hearth/pair/v1";  // CPace CI = lv_cat(this)
inline constexpr std::string_view kPairingPrologue = "hearth/pair/1";  // || sid || Ya || Yb
inline constexpr std::string_view kCpaceAdInitiator = "initiator";
inline constexpr std::string_view kCpaceAdResponder = "responder";
inline constexpr std::string_view kPairingOk = "ok";
// The whole exchange, from the prelude to N4.
inline constexpr std::chrono::seconds kPairingTimeout{30};
// P1 comes with the prelude, in the joiner's first write: a connection that
// sends nothing is closed after this, so it cannot hold a place for long.
inline constexpr std::chrono::seconds kPairingRequestTimeout{5};
// Each message the joiner sends after the inviter's P2 and N2 (P3 with N1;
// N3) must arrive within this: the joiner sends each as soon as it read the
// inviter's, so one that goes quiet holds the one exchange slot no longer.
inline constexpr std::chrono::seconds kPairingReplyTimeout{5};
inline constexpr size_t kMaxPairingNameBytes = model::kMaxNameBytes;

// Message sizes (without the 2-byte length).
inline constexpr size_t kP1Bytes = 1 + kPairingSidBytes + crypto::cpace::kPointBytes;  // 49
inline constexpr size_t kP2Bytes = crypto::cpace::kPointBytes + kConfirmBytes;         // 64
inline constexpr size_t kP3Bytes = kConfirmBytes;                                      // 32
// e, and the empty payload's tag (with a psk, e already keys the cipher).
inline constexpr size_t kN1Bytes = 32 + 16;  // 48
inline constexpr size_t kIdentityMinBytes = 32 + 2 + 1;
inline constexpr size_t kIdentityMaxBytes = kIdentityMinBytes + kMaxPairingNameBytes;
// e, s and its tag, the payload and its tag.
inline constexpr size_t kN2MinBytes = 32 + 48 + kIdentityMinBytes + 16;    // 131
inline constexpr size_t kN2MaxBytes = kN2MinBytes + kMaxPairingNameBytes;  // 195
// s and its tag, the payload and its tag.
inline constexpr size_t kN3MinBytes = 48 + kIdentityMinBytes + 16;         // 99
inline constexpr size_t kN3MaxBytes = kN3MinBytes + kMaxPairingNameBytes;  // 163
inline constexpr size_t kN4Bytes = kPairingOk.size() + 16;                 // 18

// The values both sides derive from a run (schema/PROTOCOL.md §5.2), each
// BLAKE2b-256 keyed by the CPace ISK over its label:
//   confirm_A = keyed by ISK, "hearth/pair/confirm/A"   (in P2)
//   confirm_B = keyed by ISK, "hearth/pair/confirm/B"   (P3)
//   psk       = keyed by ISK, "hearth/pair/psk/v1"      (the Noise psk)
Secret pairing_confirm_a(const Secret& isk);
Secret pairing_confirm_b(const Secret& isk);
Secret pairing_psk(const Secret& isk);
// CPace's channel identifier, lv_cat(kPairingChannel).
Bytes pairing_channel_identifier();
// The Noise prologue: kPairingPrologue || sid || Ya || Yb.
Bytes pairing_prologue(ByteView sid, ByteView ya, ByteView yb);

// What each side tells the other inside the Noise handshake:
//   device key (32) || listen port (2, BE; 0: not listening) || name length (1) || name
struct PairingIdentity {
  Key32 device_key{};
  uint16_t listen_port = 0;
  std::string name;  // at most kMaxPairingNameBytes of UTF-8
  bool operator==(const PairingIdentity&) const = default;
};

// A name longer than kMaxPairingNameBytes is cut at a character boundary.
Bytes encode_identity(const PairingIdentity& identity);
// kCorrupt: a wrong length, or a name that is not UTF-8.
Result<PairingIdentity> decode_identity(ByteView payload);

// A completed exchange, as one side sees it.
struct PairingResult {
  PairingIdentity partner;                        // checked against its Noise static key
  crypto::noise::HandshakeHash handshake_hash{};  // the same on both sides
  std::string confirmation;                       // crypto::confirmation_phrase of it
};

// The joiner's side (B). Call the steps in order, once each.
class PairingJoiner {
 public:
  // code: the canonical form (crypto::normalize_pairing_code).
  static Result<PairingJoiner> create(const crypto::DeviceIdentity& self, PairingIdentity mine,
                                      const Secret& code);
  PairingJoiner(PairingJoiner&&) noexcept = default;
  PairingJoiner& operator=(PairingJoiner&&) noexcept = default;

  Bytes p1() const;
  // Reads P2 and returns P3 followed by N1.
  //   kAuthFailed: confirm_A does not verify (a wrong code) or Yb is invalid
  //   kCorrupt: not a P2
  Result<std::pair<Bytes, Bytes>> on_p2(ByteView p2);
  // Reads N2 (A's identity) and returns N3 (ours).
  //   kAuthFailed: it does not decrypt, or its device key is not its Noise key
  //   kRefused: it is this device's own key
  Result<Bytes> on_n2(ByteView n2);
  // Reads N4: the exchange is complete.
  Result<PairingResult> on_n4(ByteView n4);

 private:
  PairingJoiner() = default;
  const crypto::DeviceIdentity* self_ = nullptr;
  PairingIdentity mine_;
  Bytes sid_;
  crypto::cpace::Share share_;
  std::optional<crypto::noise::HandshakeState> noise_;
  std::optional<crypto::noise::TransportPair> transport_;
  PairingIdentity partner_;
  Secret isk_;
  Bytes yb_;
};

// The inviter's side (A). Call the steps in order, once each.
class PairingInviter {
 public:
  static Result<PairingInviter> create(const crypto::DeviceIdentity& self, PairingIdentity mine);
  PairingInviter(PairingInviter&&) noexcept = default;
  PairingInviter& operator=(PairingInviter&&) noexcept = default;

  // Reads P1 and prepares P2 under `code`; nothing is sent yet.
  //   kCorrupt: not a P1 (wrong size or version); kAuthFailed: Ya is invalid
  Result<Bytes> on_p1(ByteView p1, const Secret& code);
  // Reads P3. kAuthFailed: confirm_B does not verify (a wrong code).
  Status on_p3(ByteView p3);
  // Reads N1 and returns N2 (our identity).
  Result<Bytes> on_n1(ByteView n1);
  // Reads N3 (B's identity) and returns the result with N4.
  //   kAuthFailed: it does not decrypt, or its device key is not its Noise key
  //   kRefused: it is this device's own key
  Result<std::pair<PairingResult, Bytes>> on_n3(ByteView n3);

 private:
  PairingInviter() = default;
  const crypto::DeviceIdentity* self_ = nullptr;
  PairingIdentity mine_;
  Bytes sid_;
  Bytes ya_;
  Bytes yb_;
  Secret isk_;
  std::optional<crypto::noise::HandshakeState> noise_;
};

}  // namespace hearth::proto
