// Fuzzes the event codecs that see a partner's bytes (schema/PROTOCOL.md §2). The
// first input byte picks what the rest is (modulo 3):
//   0  header bytes for wire::decode_header; a decoded header re-encodes to
//      exactly the input (the encoding is canonical) and decodes to itself
//   1  payload bytes for wire::decode_payload; what decodes is valid and
//      survives encode + decode unchanged
//   2  a seq byte, then an event body of the partner's (fixed key) for
//      wire::open_event_body under a header whose bodyHash matches it; what
//      opens is a valid payload, and the same body under any other bodyHash
//      does not open
#include <cstddef>
#include <cstdint>

#include "crypto/hash.h"
#include "fuzz_support.h"
#include "wire/event_codec.h"
#include "wire/payload_codec.h"

using namespace hearth;

namespace {

void fuzz_header(ByteView bytes) {
  auto h = wire::decode_header(bytes);
  if (!h) return;
  HEARTH_ASSERT(h->seq != 0 && h->lamport != 0, "a header with seq or lamport 0 decoded");
  HEARTH_ASSERT(h->seq != 1 || h->prev == Hash32{}, "a first event with a predecessor decoded");
  const Bytes encoded = wire::encode_header(*h);
  HEARTH_ASSERT(
      encoded.size() == bytes.size() && std::equal(encoded.begin(), encoded.end(), bytes.begin()),
      "a decoded header is not in canonical form");
  auto again = wire::decode_header(encoded);
  HEARTH_ASSERT(again.is_ok() && *again == *h, "a header changed through encode and decode");
}

void fuzz_payload(ByteView bytes) {
  auto p = wire::decode_payload(bytes);
  if (!p) return;
  HEARTH_ASSERT(model::validate(*p).is_ok(), "decode_payload let an invalid payload through");
  const Bytes encoded = wire::encode_payload(*p);
  auto again = wire::decode_payload(encoded);
  HEARTH_ASSERT(again.is_ok(), "a decoded payload does not decode after re-encoding");
  HEARTH_ASSERT(wire::encode_payload(*again) == encoded,
                "a payload changed through encode and decode");
}

void fuzz_body(ByteView bytes) {
  static const Secret log_key = fuzz::fixed_secret(fuzz::kPartnerLogKeyTag);
  static const Key32 author = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
  if (bytes.empty()) return;
  wire::EventHeader header;
  header.author = author;
  header.seq = bytes[0] == 0 ? 1 : bytes[0];
  header.lamport = 10 * header.seq;
  const ByteView body = bytes.subspan(1);
  header.body_hash = crypto::blake2b_256(body);
  auto p = wire::open_event_body(log_key, header, body);
  if (p)
    HEARTH_ASSERT(model::validate(*p).is_ok(), "open_event_body let an invalid payload through");
  header.body_hash[0] ^= 1;
  HEARTH_ASSERT(!wire::open_event_body(log_key, header, body).is_ok(),
                "a body opened under a bodyHash that does not match it");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzz_header(rest);
      break;
    case 1:
      fuzz_payload(rest);
      break;
    default:
      fuzz_body(rest);
      break;
  }
  return 0;
}
