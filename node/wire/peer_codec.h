// peer.capnp messages <-> plain values. decode_peer_message treats its input
// as hostile: every list and field is bounded before it is copied.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "model/limits.h"
#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::wire {

inline constexpr uint32_t kPeerProtocolVersion = 1;
// Limits on one application message and what it may hold
// (schema/PROTOCOL.md §4.2, §8).
// A batch is committed in one transaction with one fsync: large batches make
// a catch-up fast; the in-flight limit (sync::Session) bounds memory.
inline constexpr size_t kMaxPeerMessageBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxBatchEvents = 1024;
inline constexpr size_t kMaxBatchBytes = 2 * 1024 * 1024;  // sum of header+signature+body
inline constexpr size_t kMaxHeads = 16;
inline constexpr size_t kMaxLogKeys = 16;
inline constexpr size_t kMaxNameBytes = model::kMaxNameBytes;  // Hello.name
inline constexpr size_t kMaxByeDetail = 256;

struct PeerHead {
  Key32 author{};
  uint64_t seq = 0;
  Hash32 id{};  // zero when seq == 0
  bool operator==(const PeerHead&) const = default;
};

struct PeerLogKey {
  uint64_t first_seq = 1;
  Secret key;  // 32 bytes
};

struct Hello {
  uint32_t version = kPeerProtocolVersion;
  std::vector<PeerHead> heads;
  std::vector<PeerLogKey> log_keys;
  std::string name;
  int64_t wall_clock_ms = 0;  // the sender's clock when sent; 0: not given
};

struct WireEvent {
  Bytes header;
  Bytes signature;
  Bytes body;  // empty: forgotten by its author
};

struct EventsBatch {
  std::vector<WireEvent> events;
};

struct Ack {
  std::vector<PeerHead> heads;
};

struct Ping {
  uint64_t nonce = 0;
};
struct Pong {
  uint64_t nonce = 0;
};

enum class ByeReason : uint16_t {
  kNormal = 0,
  kProtocolError = 1,
  kInvalidBatch = 2,
  kFork = 3,
  kUnpaired = 4,
  kShuttingDown = 5,
  kDuplicateConnection = 6,
  kTimeout = 7,
  kUnsupportedVersion = 8,
};
const char* bye_reason_name(ByeReason r);

struct Bye {
  ByeReason reason = ByeReason::kNormal;
  std::string detail;
};

using PeerMessage = std::variant<Hello, EventsBatch, Ack, Ping, Pong, Bye>;

// The capnp bytes of one message (no length prefix).
Bytes encode_peer_message(const PeerMessage& message);
Result<PeerMessage> decode_peer_message(ByteView bytes);

}  // namespace hearth::wire
