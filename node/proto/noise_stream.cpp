#include "proto/noise_stream.h"

#include <algorithm>

#include "util/assert.h"
#include "util/secret.h"

namespace hearth::proto {

Bytes frame_noise_message(ByteView message) {
  HEARTH_ASSERT(message.size() <= crypto::noise::kMaxMessage, "Noise message too long to frame");
  Bytes framed;
  framed.reserve(kNoiseLengthBytes + message.size());
  put_u16_be(framed, static_cast<uint16_t>(message.size()));
  append(framed, message);
  return framed;
}

Status StreamSealer::flush(Bytes& chunk, std::vector<Bytes>& out) {
  auto sealed = send_.encrypt_with_ad({}, chunk);
  wipe(chunk);  // plaintext of the session: a Hello carries log keys
  chunk.clear();
  if (!sealed) return sealed.status();
  out.push_back(frame_noise_message(*sealed));
  return Status::ok();
}

Status StreamSealer::seal(std::span<const Bytes> messages, std::vector<Bytes>& out) {
  size_t total = 0;
  for (const Bytes& m : messages) total += kAppLengthBytes + m.size();
  Bytes chunk;
  chunk.reserve(std::min(total, kMaxChunkPlaintext));
  auto add = [&](ByteView data) -> Status {
    while (!data.empty()) {
      const size_t take = std::min(data.size(), kMaxChunkPlaintext - chunk.size());
      chunk.insert(chunk.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
      data = data.subspan(take);
      if (chunk.size() == kMaxChunkPlaintext) HEARTH_TRY(flush(chunk, out));
    }
    return Status::ok();
  };
  for (const Bytes& m : messages) {
    HEARTH_ASSERT(!m.empty() && m.size() <= wire::kMaxPeerMessageBytes,
                  "application message outside 1..kMaxPeerMessageBytes");
    uint8_t header[kAppLengthBytes];
    const auto n = static_cast<uint32_t>(m.size());
    header[0] = static_cast<uint8_t>(n >> 24);
    header[1] = static_cast<uint8_t>(n >> 16);
    header[2] = static_cast<uint8_t>(n >> 8);
    header[3] = static_cast<uint8_t>(n);
    HEARTH_TRY(add(ByteView(header, kAppLengthBytes)));
    HEARTH_TRY(add(m));
  }
  if (!chunk.empty()) HEARTH_TRY(flush(chunk, out));
  return Status::ok();
}

Status StreamOpener::open(ByteView transport_message) {
  if (!failed_.is_ok()) return failed_;
  auto plain = recv_.decrypt_with_ad({}, transport_message);
  if (!plain) {
    failed_ = Status::auth_failed("a message from the other device did not decrypt");
    return failed_;
  }
  failed_ = feed(*plain);
  wipe(*plain);
  return failed_;
}

Status StreamOpener::feed(ByteView plain) {
  while (!plain.empty()) {
    if (body_need_ == 0) {
      const size_t take = std::min(kAppLengthBytes - header_have_, plain.size());
      std::copy_n(plain.begin(), take, header_ + header_have_);
      header_have_ += take;
      plain = plain.subspan(take);
      if (header_have_ < kAppLengthBytes) break;
      header_have_ = 0;
      const uint32_t n = get_u32_be(header_);
      if (n == 0) return Status::corrupt("an empty application message");
      if (n > max_message_) {
        return Status::corrupt("an application message of " + std::to_string(n) +
                               " bytes, over the limit of " + std::to_string(max_message_));
      }
      body_need_ = n;
      body_.clear();
      body_.reserve(n);
    }
    const size_t take = std::min(body_need_ - body_.size(), plain.size());
    body_.insert(body_.end(), plain.begin(), plain.begin() + static_cast<ptrdiff_t>(take));
    plain = plain.subspan(take);
    if (body_.size() == body_need_) {
      ready_.push_back(std::move(body_));
      body_ = Bytes();
      body_need_ = 0;
    }
  }
  return Status::ok();
}

StreamOpener::~StreamOpener() {
  wipe(body_);
  for (Bytes& m : ready_) wipe(m);
}

std::optional<Bytes> StreamOpener::next() {
  if (ready_.empty()) return std::nullopt;
  Bytes m = std::move(ready_.front());
  ready_.pop_front();
  return m;
}

}  // namespace hearth::proto
