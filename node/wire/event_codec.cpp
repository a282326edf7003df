#include "wire/event_codec.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <cstring>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "schema/event.capnp.h"
#include "wire/capnp_message.h"
#include "wire/payload_codec.h"

namespace hearth::wire {
namespace {

namespace s = hearth::schema;

kj::ArrayPtr<const kj::byte> bytes_of(ByteView b) { return {b.data(), b.size()}; }

Bytes sign_input(ByteView header_bytes) {
  Bytes m;
  m.reserve(kEventSignContext.size() + header_bytes.size());
  append(m, kEventSignContext);
  append(m, header_bytes);
  return m;
}

// The header over a sealed body, its signature and its event ID.
SealedEvent signed_event(const crypto::DeviceIdentity& author, uint64_t seq, const Hash32& prev,
                         uint64_t lamport, int64_t wall_ms, Bytes body) {
  SealedEvent e;
  e.body = std::move(body);
  e.header = EventHeader{author.public_key(), seq, prev, lamport, wall_ms,
                         crypto::blake2b_256(e.body)};
  e.header_bytes = encode_header(e.header);
  e.signature = author.sign(sign_input(e.header_bytes));
  e.id = event_id(e.header_bytes);
  return e;
}

}  // namespace

Bytes encode_header(const EventHeader& h) {
  capnp::MallocMessageBuilder message;
  auto b = message.initRoot<s::EventHeader>();
  b.setAuthor(bytes_of(h.author));
  b.setSeq(h.seq);
  b.setPrev(bytes_of(h.prev));
  b.setLamport(h.lamport);
  b.setWallTime(h.wall_ms);
  b.setBodyHash(bytes_of(h.body_hash));
  kj::Array<capnp::word> words = capnp::canonicalize(b.asReader());
  auto chars = words.asBytes();
  return Bytes(chars.begin(), chars.end());
}

Result<EventHeader> decode_header(ByteView bytes) {
  if (bytes.size() > kMaxHeaderBytes) return Status::corrupt("event header is too large");
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0)
    return Status::corrupt("event header is not whole words");
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  Result<EventHeader> out = Status::corrupt("malformed event header");
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
    kj::ArrayPtr<const capnp::word> segments[1] = {words.asPtr()};
    capnp::SegmentArrayMessageReader reader(kj::arrayPtr(segments, 1),
                                            reader_options_for(bytes.size()));
    if (!reader.isCanonical()) {
      out = Status::corrupt("event header is not in canonical form");
      return;
    }
    auto r = reader.getRoot<s::EventHeader>();
    if (r.getAuthor().size() != 32 || r.getPrev().size() != 32 || r.getBodyHash().size() != 32) {
      out = Status::corrupt("event header field has the wrong size");
      return;
    }
    EventHeader h;
    std::memcpy(h.author.data(), r.getAuthor().begin(), 32);
    std::memcpy(h.prev.data(), r.getPrev().begin(), 32);
    std::memcpy(h.body_hash.data(), r.getBodyHash().begin(), 32);
    h.seq = r.getSeq();
    h.lamport = r.getLamport();
    h.wall_ms = r.getWallTime();
    out = h;
  });
  if (failure != nullptr) return Status::corrupt("malformed event header");
  if (!out.is_ok()) return out;
  if (out->seq == 0 || out->lamport == 0) return Status::corrupt("event seq and lamport start at 1");
  if (out->seq > kMaxCounter || out->lamport > kMaxCounter)
    return Status::corrupt("event seq or lamport out of range");
  if (out->seq == 1 && out->prev != Hash32{})
    return Status::corrupt("the first event of a log has no predecessor");
  return out;
}

Hash32 event_id(ByteView header_bytes) { return crypto::blake2b_256(header_bytes); }

Bytes body_ad(const Key32& author, uint64_t seq) {
  Bytes ad;
  append(ad, kBodyAdContext);
  append(ad, author);
  put_u64_be(ad, seq);
  return ad;
}

bool verify_event_signature(const Key32& author, ByteView header_bytes, ByteView signature) {
  return crypto::verify_signature(author, sign_input(header_bytes), signature);
}

std::array<uint8_t, crypto::kSignatureBytes> sign_event_header(const crypto::DeviceIdentity& author,
                                                               ByteView header_bytes) {
  return author.sign(sign_input(header_bytes));
}

SealedEvent seal_event(const crypto::DeviceIdentity& author, const Secret& log_key, uint64_t seq,
                       const Hash32& prev, uint64_t lamport, int64_t wall_ms,
                       const model::Payload& payload) {
  Bytes plain = encode_payload(payload);
  Bytes body = crypto::seal(log_key, plain, body_ad(author.public_key(), seq));
  wipe(plain);
  return signed_event(author, seq, prev, lamport, wall_ms, std::move(body));
}

SealedEvent seal_event_with_nonce(const crypto::DeviceIdentity& author, const Secret& log_key,
                                  uint64_t seq, const Hash32& prev, uint64_t lamport,
                                  int64_t wall_ms, const model::Payload& payload, ByteView nonce) {
  Bytes plain = encode_payload(payload);
  Bytes body = crypto::seal_with_nonce(log_key, nonce, plain, body_ad(author.public_key(), seq));
  wipe(plain);
  return signed_event(author, seq, prev, lamport, wall_ms, std::move(body));
}

Result<model::Payload> open_event_body(const Secret& log_key, const EventHeader& header,
                                       ByteView body) {
  if (body.size() > kMaxBodyBytes) return Status::corrupt("event body is too large");
  if (crypto::blake2b_256(body) != header.body_hash)
    return Status::corrupt("event body does not match its hash");
  HEARTH_ASSIGN_OR_RETURN(Secret plain, crypto::open(log_key, body, body_ad(header.author, header.seq)));
  return decode_payload(plain.view());
}

}  // namespace hearth::wire
