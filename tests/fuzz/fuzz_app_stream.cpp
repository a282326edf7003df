// Fuzzes proto::StreamOpener, the receiver's reassembly of the application
// stream (schema/PROTOCOL.md §3.4): 4-byte length-prefixed peer messages cut into
// Noise transport messages anywhere. The partner chooses every plaintext
// byte, so the input is the plaintext; the harness encrypts it with the
// sending CipherState to get past the MAC.
//
// Input: a mode byte, then records of a 2-byte big-endian length L and L
// bytes.
//   mode bit 0 set: the limit on one message is wire::kMaxPeerMessageBytes;
//                   clear: 1 + 64 * (mode >> 2), to reach it with small inputs
//   mode bit 1 clear: each record is one transport chunk of plaintext (at
//                   most kMaxChunkPlaintext; a length with bit 15 set also
//                   flips a bit of the ciphertext). Checked against a plain
//                   reference deframer: the same messages come out, the
//                   first bad length fails the chunk that completes it, a
//                   tampered chunk fails, and after a failure every call
//                   fails.
//   mode bit 1 set: each non-empty record is one application message; they
//                   go through proto::StreamSealer and back through the
//                   opener, and must come out unchanged.
#include <cstddef>
#include <cstdint>
#include <deque>

#include "fuzz_support.h"
#include "proto/noise_stream.h"

using namespace hearth;
namespace noise = hearth::crypto::noise;

namespace {

struct Record {
  ByteView bytes;
  bool tamper = false;
};

std::vector<Record> records_of(ByteView input, size_t max_size) {
  std::vector<Record> out;
  while (input.size() >= 2) {
    const uint16_t raw = get_u16_be(input.data());
    const size_t n = std::min<size_t>({size_t{raw} & 0x7fff, max_size, input.size() - 2});
    out.push_back({input.subspan(2, n), (raw & 0x8000) != 0});
    input = input.subspan(2 + n);
  }
  return out;
}

// The reference: what a plain deframer makes of the concatenated plaintext.
struct Reference {
  size_t limit;
  Bytes pending;
  std::deque<Bytes> messages;
  bool failed = false;

  // Feeds one chunk; false if it completes a length outside 1..limit.
  bool feed(ByteView chunk) {
    append(pending, chunk);
    for (;;) {
      if (pending.size() < proto::kAppLengthBytes) return true;
      const uint32_t n = get_u32_be(pending.data());
      if (n == 0 || n > limit) return false;
      if (pending.size() < proto::kAppLengthBytes + n) return true;
      messages.emplace_back(pending.begin() + proto::kAppLengthBytes,
                            pending.begin() + static_cast<ptrdiff_t>(proto::kAppLengthBytes + n));
      pending.erase(pending.begin(),
                    pending.begin() + static_cast<ptrdiff_t>(proto::kAppLengthBytes + n));
    }
  }
};

void drain_and_compare(proto::StreamOpener& opener, std::deque<Bytes>& expected) {
  while (auto m = opener.next()) {
    HEARTH_ASSERT(!expected.empty(), "the opener produced a message the stream does not hold");
    HEARTH_ASSERT(*m == expected.front(), "the opener produced a different message");
    expected.pop_front();
  }
  HEARTH_ASSERT(expected.empty(), "the opener held back a complete message");
}

void chunks(ByteView input, size_t limit) {
  const Secret key = fuzz::fixed_secret(0x60);
  noise::CipherState send(Secret::copy_of(key.view()));
  proto::StreamOpener opener(noise::CipherState(Secret::copy_of(key.view())), limit);
  Reference ref{limit, {}, {}, false};
  bool failed = false;
  for (const Record& r : records_of(input, proto::kMaxChunkPlaintext)) {
    auto sealed = send.encrypt_with_ad({}, r.bytes);
    HEARTH_ASSERT(sealed.is_ok(), "cannot encrypt a chunk");
    if (r.tamper) (*sealed)[r.bytes.size() % sealed->size()] ^= 0x01;
    const Status st = opener.open(*sealed);
    if (failed) {
      HEARTH_ASSERT(!st.is_ok(), "the opener recovered after a failure");
      continue;
    }
    if (r.tamper) {
      HEARTH_ASSERT(st.code() == Code::kAuthFailed, "a tampered chunk was not refused");
      failed = true;
      continue;
    }
    const bool ok = ref.feed(r.bytes);
    drain_and_compare(opener, ref.messages);
    HEARTH_ASSERT(st.is_ok() == ok, "the opener and the reference disagree on a length");
    if (!ok) {
      HEARTH_ASSERT(st.code() == Code::kCorrupt, "a bad length was not refused as corrupt");
      failed = true;
    }
  }
}

void round_trip(ByteView input, size_t limit) {
  const Secret key = fuzz::fixed_secret(0x61);
  proto::StreamSealer sealer(noise::CipherState(Secret::copy_of(key.view())));
  proto::StreamOpener opener(noise::CipherState(Secret::copy_of(key.view())), limit);
  std::vector<Bytes> messages;
  for (const Record& r : records_of(input, limit))
    if (!r.bytes.empty()) messages.emplace_back(r.bytes.begin(), r.bytes.end());
  std::vector<Bytes> framed;
  HEARTH_ASSERT(sealer.seal(messages, framed).is_ok(), "the sealer failed");
  for (const Bytes& f : framed) {
    HEARTH_ASSERT(f.size() > proto::kNoiseLengthBytes &&
                      get_u16_be(f.data()) == f.size() - proto::kNoiseLengthBytes &&
                      f.size() - proto::kNoiseLengthBytes <= noise::kMaxMessage,
                  "the sealer framed a transport message wrongly");
    HEARTH_ASSERT(opener.open(ByteView(f).subspan(proto::kNoiseLengthBytes)).is_ok(),
                  "the opener refused what the sealer made");
  }
  for (const Bytes& m : messages) {
    auto got = opener.next();
    HEARTH_ASSERT(got && *got == m, "a message changed through the sealer and the opener");
  }
  HEARTH_ASSERT(!opener.next(), "the opener produced more messages than were sealed");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const size_t limit =
      (mode & 1) ? wire::kMaxPeerMessageBytes : 1 + 64 * static_cast<size_t>(mode >> 2);
  const ByteView rest(data + 1, size - 1);
  if (mode & 2) {
    round_trip(rest, limit);
  } else {
    chunks(rest, limit);
  }
  return 0;
}
