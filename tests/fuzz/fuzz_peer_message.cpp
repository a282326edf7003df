// Fuzzes wire::decode_peer_message: the input is the capnp bytes of one peer
// application message, as the partner's device sends them after the
// handshake (schema/PROTOCOL.md §4). A message that decodes must re-encode to bytes
// that decode to an equal message, and encoding must be stable.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "wire/peer_codec.h"

using namespace hearth;

namespace {

struct SameAs {
  const wire::PeerMessage& other;

  bool operator()(const wire::Hello& a) const {
    const auto& b = std::get<wire::Hello>(other);
    if (a.version != b.version || a.heads != b.heads || a.name != b.name) return false;
    if (a.log_keys.size() != b.log_keys.size()) return false;
    for (size_t i = 0; i < a.log_keys.size(); ++i) {
      if (a.log_keys[i].first_seq != b.log_keys[i].first_seq) return false;
      if (!a.log_keys[i].key.equals(b.log_keys[i].key)) return false;
    }
    return true;
  }
  bool operator()(const wire::EventsBatch& a) const {
    const auto& b = std::get<wire::EventsBatch>(other);
    if (a.events.size() != b.events.size()) return false;
    for (size_t i = 0; i < a.events.size(); ++i) {
      const auto& x = a.events[i];
      const auto& y = b.events[i];
      if (x.header != y.header || x.signature != y.signature || x.body != y.body) return false;
    }
    return true;
  }
  bool operator()(const wire::Ack& a) const { return a.heads == std::get<wire::Ack>(other).heads; }
  bool operator()(const wire::Ping& a) const {
    return a.nonce == std::get<wire::Ping>(other).nonce;
  }
  bool operator()(const wire::Pong& a) const {
    return a.nonce == std::get<wire::Pong>(other).nonce;
  }
  bool operator()(const wire::Bye& a) const {
    const auto& b = std::get<wire::Bye>(other);
    return a.reason == b.reason && a.detail == b.detail;
  }
};

bool same(const wire::PeerMessage& a, const wire::PeerMessage& b) {
  if (a.index() != b.index()) return false;
  return std::visit(SameAs{b}, a);
}

// What decode_peer_message promises about a message it accepted.
void check_limits(const wire::PeerMessage& m) {
  if (const auto* h = std::get_if<wire::Hello>(&m)) {
    HEARTH_ASSERT(h->heads.size() <= wire::kMaxHeads, "too many heads accepted");
    HEARTH_ASSERT(h->log_keys.size() <= wire::kMaxLogKeys, "too many log keys accepted");
    HEARTH_ASSERT(h->name.size() <= wire::kMaxNameBytes, "an oversize name accepted");
    for (const auto& k : h->log_keys) {
      HEARTH_ASSERT(k.key.size() == 32 && k.first_seq != 0, "a malformed log key accepted");
    }
  } else if (const auto* e = std::get_if<wire::EventsBatch>(&m)) {
    HEARTH_ASSERT(!e->events.empty() && e->events.size() <= wire::kMaxBatchEvents,
                  "a batch of the wrong size accepted");
    size_t total = 0;
    for (const auto& ev : e->events) {
      HEARTH_ASSERT(ev.signature.size() == 64, "a malformed signature accepted");
      total += ev.header.size() + ev.signature.size() + ev.body.size();
    }
    HEARTH_ASSERT(total <= wire::kMaxBatchBytes, "an oversize batch accepted");
  } else if (const auto* b = std::get_if<wire::Bye>(&m)) {
    HEARTH_ASSERT(b->detail.size() <= wire::kMaxByeDetail, "an oversize Bye detail accepted");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = wire::decode_peer_message(ByteView(data, size));
  if (!decoded) return 0;
  check_limits(*decoded);
  const Bytes encoded = wire::encode_peer_message(*decoded);
  auto again = wire::decode_peer_message(encoded);
  HEARTH_ASSERT(again.is_ok(), "a decoded peer message does not decode after re-encoding");
  HEARTH_ASSERT(same(*decoded, *again), "a peer message changed through encode and decode");
  HEARTH_ASSERT(wire::encode_peer_message(*again) == encoded, "peer message encoding is unstable");
  return 0;
}
