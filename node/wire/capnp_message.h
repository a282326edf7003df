// Cap'n Proto messages as length-prefixed byte strings, with hard limits.
//
// This header is deliberately light: it includes only capnp/message.h and
// serialize.h, never a generated schema header.
//
// Frame layout: 4-byte big-endian length N, then N bytes of an unpacked
// Cap'n Proto message (segment table first). N must be <= the caller's limit,
// which is checked before anything is allocated.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdint>
#include <memory>

#include "util/bytes.h"
#include "util/status.h"

namespace hearth::wire {

inline constexpr size_t kFrameHeaderBytes = 4;

// Traversal and nesting limits for untrusted messages: one word per byte of
// the message (plus a little) lets a well-formed message be read about eight
// times over, and no more (capnp's amplification defence).
capnp::ReaderOptions reader_options_for(size_t message_bytes);

// The message's bytes (segment table + segments), without a length prefix.
Bytes to_bytes(capnp::MessageBuilder& message);
// 4-byte length prefix + to_bytes().
Bytes to_frame(capnp::MessageBuilder& message);

// Parses a message from `bytes`, which must be a whole number of words and at
// most max_bytes long. The reader copies the bytes into aligned storage it owns.
class MessageReader {
 public:
  static Result<MessageReader> parse(ByteView bytes, size_t max_bytes);

  template <typename T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

  MessageReader(MessageReader&&) noexcept = default;
  MessageReader& operator=(MessageReader&&) noexcept = default;

 private:
  MessageReader() = default;
  kj::Array<capnp::word> words_;
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
};

// Reads the 4-byte length of a frame header; refuses lengths above max_bytes
// or that are not a multiple of 8 (a capnp message is whole words).
Result<uint32_t> frame_length(const uint8_t header[kFrameHeaderBytes], size_t max_bytes);

}  // namespace hearth::wire
