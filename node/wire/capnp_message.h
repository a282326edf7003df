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

#include <array>
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
// most max_bytes long. The reader copies the bytes into aligned storage it
// owns, and wipes it when destroyed (a message may carry keys or a
// passphrase). to_bytes() and to_frame() wipe their intermediate copy too;
// what the builder itself allocated is the caller's (see ScratchBuilder).
class MessageReader {
 public:
  static Result<MessageReader> parse(ByteView bytes, size_t max_bytes);

  template <typename T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

  MessageReader(MessageReader&&) noexcept = default;
  MessageReader& operator=(MessageReader&&) noexcept = default;
  ~MessageReader();

 private:
  MessageReader() = default;
  kj::Array<capnp::word> words_;
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
};

// A message builder whose first segment (kWords words) is a member, zeroed
// again when the builder goes: a message that fits in it (a Hello with its log
// keys does, with room to spare) leaves nothing of itself in freed memory.
// Larger messages spill into segments capnp allocates as usual.
class ScratchBuilder {
 public:
  static constexpr size_t kWords = 1024;
  ScratchBuilder() : builder_(kj::arrayPtr(scratch_.data(), scratch_.size())) {}
  ~ScratchBuilder();
  ScratchBuilder(const ScratchBuilder&) = delete;
  ScratchBuilder& operator=(const ScratchBuilder&) = delete;
  capnp::MallocMessageBuilder& get() { return builder_; }

 private:
  std::array<capnp::word, kWords> scratch_{};  // capnp requires it zeroed
  capnp::MallocMessageBuilder builder_;
};

// Reads the 4-byte length of a frame header; refuses lengths above max_bytes
// or that are not a multiple of 8 (a capnp message is whole words).
Result<uint32_t> frame_length(const uint8_t header[kFrameHeaderBytes], size_t max_bytes);

}  // namespace hearth::wire
