// Events: the signed header, the encrypted body, and how to make and check
// them (docs/DESIGN.md §4.1, schema/PROTOCOL.md §2.1, §2.2).
//
//   header bytes = canonical Cap'n Proto encoding of EventHeader (the root
//                  pointer and the struct, one segment, no segment table)
//   signature    = Ed25519(author key, "hearth/event/v1" || header bytes)
//   event ID     = BLAKE2b-256(header bytes)
//   body         = XChaCha20-Poly1305(log key, payload,
//                  AD = "hearth/body/v1" || author || seq (8 bytes BE))
//   bodyHash     = BLAKE2b-256(body)
#pragma once

#include <array>
#include <string_view>

#include "crypto/identity.h"
#include "model/payload.h"
#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::wire {

inline constexpr std::string_view kEventSignContext = "hearth/event/v1";
inline constexpr std::string_view kBodyAdContext = "hearth/body/v1";
// A canonical header is 152 bytes (144 when wallTime is 0: canonicalization
// drops the zero word; schema/PROTOCOL.md §2.1); anything over this is
// refused unparsed.
inline constexpr size_t kMaxHeaderBytes = 256;
// seq and lamport are at most 2^62: SQLite stores them as signed 64-bit
// integers, and a lamport near the top would leave no room for the next.
inline constexpr uint64_t kMaxCounter = uint64_t{1} << 62;
// Along one author's log, lamport may jump by at most this much per event:
// ample for honest clocks, and a hostile partner would need 2^30 events to
// push the clock to its end.
inline constexpr uint64_t kMaxLamportStep = uint64_t{1} << 32;
// Largest body: the largest payload plus nonce and tag.
inline constexpr size_t kMaxBodyBytes = model::kMaxPayloadBytes + 40;

struct EventHeader {
  Key32 author{};
  uint64_t seq = 0;
  Hash32 prev{};  // zero for seq 1
  uint64_t lamport = 0;
  int64_t wall_ms = 0;
  Hash32 body_hash{};
  bool operator==(const EventHeader&) const = default;
};

Bytes encode_header(const EventHeader& header);
// Refuses oversize input, a non-canonical encoding, wrong field sizes, seq or
// lamport 0 or above kMaxCounter, and a non-zero prev at seq 1.
Result<EventHeader> decode_header(ByteView bytes);

Hash32 event_id(ByteView header_bytes);
Bytes body_ad(const Key32& author, uint64_t seq);
bool verify_event_signature(const Key32& author, ByteView header_bytes, ByteView signature);
// The author's signature of `header_bytes` (Ed25519 is deterministic: the
// same header always gets the same signature).
std::array<uint8_t, crypto::kSignatureBytes> sign_event_header(const crypto::DeviceIdentity& author,
                                                               ByteView header_bytes);

// An event as stored and sent.
struct SealedEvent {
  EventHeader header;
  Bytes header_bytes;
  std::array<uint8_t, crypto::kSignatureBytes> signature{};
  Bytes body;  // empty once forgotten
  Hash32 id{};
};

SealedEvent seal_event(const crypto::DeviceIdentity& author, const Secret& log_key, uint64_t seq,
                       const Hash32& prev, uint64_t lamport, int64_t wall_ms,
                       const model::Payload& payload);
// The same with the body's nonce given (crypto::kAeadNonceBytes), for
// known-answer vectors only; every event Hearth writes uses a random one.
SealedEvent seal_event_with_nonce(const crypto::DeviceIdentity& author, const Secret& log_key,
                                  uint64_t seq, const Hash32& prev, uint64_t lamport,
                                  int64_t wall_ms, const model::Payload& payload, ByteView nonce);

// Checks bodyHash, decrypts with the author's log key, decodes and validates.
Result<model::Payload> open_event_body(const Secret& log_key, const EventHeader& header,
                                       ByteView body);

}  // namespace hearth::wire
