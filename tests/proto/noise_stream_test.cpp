#include "proto/noise_stream.h"

#include <doctest/doctest.h>
#include <sodium.h>

using namespace hearth;
using crypto::noise::CipherState;

namespace {

// A sealer and an opener sharing one key, as the two ends of one direction.
struct Pipe {
  proto::StreamSealer sealer;
  proto::StreamOpener opener;
  CipherState raw_sender;  // the same key again, for hand-made transport messages

  Pipe() : Pipe(Secret::random(crypto::noise::kKeyBytes)) {}
  explicit Pipe(const Secret& key)
      : sealer(CipherState(Secret::copy_of(key.view()))),
        opener(CipherState(Secret::copy_of(key.view()))),
        raw_sender(CipherState(Secret::copy_of(key.view()))) {}

  // Seals `messages`, feeds every transport message to the opener and
  // returns what it reassembled.
  std::vector<Bytes> carry(const std::vector<Bytes>& messages, size_t* transport_count = nullptr) {
    std::vector<Bytes> framed;
    REQUIRE(sealer.seal(messages, framed).is_ok());
    if (transport_count) *transport_count = framed.size();
    for (const Bytes& f : framed) {
      REQUIRE(f.size() >= proto::kNoiseLengthBytes);
      const size_t length = get_u16_be(f.data());
      REQUIRE(length == f.size() - proto::kNoiseLengthBytes);
      CHECK(length <= crypto::noise::kMaxMessage);
      REQUIRE(opener.open(ByteView(f).subspan(proto::kNoiseLengthBytes)).is_ok());
    }
    std::vector<Bytes> out;
    while (auto m = opener.next()) out.push_back(std::move(*m));
    return out;
  }
};

Bytes random_bytes(size_t n) {
  Bytes b(n);
  randombytes_buf(b.data(), b.size());
  return b;
}

Bytes app_header(uint32_t n) {
  Bytes h;
  put_u32_be(h, n);
  return h;
}

}  // namespace

TEST_CASE("application messages of 1, 65519, 65520 bytes, 2 MiB and the limit arrive whole") {
  for (size_t size : {size_t{1}, proto::kMaxChunkPlaintext, proto::kMaxChunkPlaintext + 1,
                      size_t{2} * 1024 * 1024, wire::kMaxPeerMessageBytes}) {
    INFO("size " << size);
    Pipe pipe;
    const Bytes message = random_bytes(size);
    size_t transports = 0;
    auto got = pipe.carry({message}, &transports);
    REQUIRE(got.size() == 1);
    CHECK(got[0] == message);
    // 4 bytes of length, then the message, in chunks of at most 65519 bytes.
    const size_t stream = proto::kAppLengthBytes + size;
    CHECK(transports == (stream + proto::kMaxChunkPlaintext - 1) / proto::kMaxChunkPlaintext);
  }
}

TEST_CASE("several messages sealed together share chunks and come apart again") {
  Pipe pipe;
  std::vector<Bytes> messages;
  for (size_t size : {size_t{1}, size_t{7}, proto::kMaxChunkPlaintext - 4, size_t{3},
                      proto::kMaxChunkPlaintext, size_t{200'000}, size_t{1}})
    messages.push_back(random_bytes(size));
  CHECK(pipe.carry(messages) == messages);
  // The stream goes on across calls (nonces continue on both sides).
  CHECK(pipe.carry({messages[1]}) == std::vector<Bytes>{messages[1]});
}

TEST_CASE("a chunk boundary may fall inside a length prefix") {
  Pipe pipe;
  // 65519 - 2 bytes of message, so the next length prefix is split 2 + 2.
  const Bytes first = random_bytes(proto::kMaxChunkPlaintext - proto::kAppLengthBytes - 2);
  const Bytes second = random_bytes(10);
  CHECK(pipe.carry({first, second}) == std::vector<Bytes>{first, second});
}

TEST_CASE("a length over the limit is refused as soon as its 4 bytes arrive") {
  Pipe pipe;
  // Only the length: nothing of the message follows, so nothing was allocated for it.
  auto sealed = pipe.raw_sender.encrypt_with_ad({}, app_header(wire::kMaxPeerMessageBytes + 1));
  REQUIRE(sealed.is_ok());
  Status st = pipe.opener.open(*sealed);
  CHECK(st.code() == Code::kCorrupt);
  CHECK_FALSE(pipe.opener.next().has_value());
  // The opener stays failed.
  auto more = pipe.raw_sender.encrypt_with_ad({}, Bytes{0, 0, 0, 1, 42});
  REQUIRE(more.is_ok());
  CHECK_FALSE(pipe.opener.open(*more).is_ok());
}

TEST_CASE("an empty application message is refused") {
  Pipe pipe;
  auto sealed = pipe.raw_sender.encrypt_with_ad({}, app_header(0));
  REQUIRE(sealed.is_ok());
  CHECK(pipe.opener.open(*sealed).code() == Code::kCorrupt);
}

TEST_CASE("a flipped bit in a transport message fails to open") {
  Pipe pipe;
  std::vector<Bytes> framed;
  REQUIRE(pipe.sealer.seal(std::vector<Bytes>{random_bytes(100)}, framed).is_ok());
  REQUIRE(framed.size() == 1);
  framed[0][framed[0].size() / 2] ^= 0x01;
  Status st = pipe.opener.open(ByteView(framed[0]).subspan(proto::kNoiseLengthBytes));
  CHECK(st.code() == Code::kAuthFailed);
  CHECK_FALSE(pipe.opener.next().has_value());
}
