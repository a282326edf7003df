#include "wire/capnp_message.h"

#include <cstring>

#include <kj/exception.h>

#include "util/secret.h"

namespace hearth::wire {

capnp::ReaderOptions reader_options_for(size_t message_bytes) {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = message_bytes + 1024;
  options.nestingLimit = 16;
  return options;
}

Bytes to_bytes(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  auto chars = words.asBytes();
  Bytes out(chars.begin(), chars.end());
  wipe(std::span<uint8_t>(chars.begin(), chars.size()));
  return out;
}

Bytes to_frame(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  auto chars = words.asBytes();
  Bytes out;
  out.reserve(kFrameHeaderBytes + chars.size());
  put_u32_be(out, static_cast<uint32_t>(chars.size()));
  out.insert(out.end(), chars.begin(), chars.end());
  wipe(std::span<uint8_t>(chars.begin(), chars.size()));
  return out;
}

MessageReader::~MessageReader() {
  reader_.reset();
  auto bytes = words_.asBytes();
  wipe(std::span<uint8_t>(bytes.begin(), bytes.size()));
}

Result<MessageReader> MessageReader::parse(ByteView bytes, size_t max_bytes) {
  if (bytes.size() > max_bytes) return Status::invalid("message is larger than allowed");
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0)
    return Status::corrupt("message is not a whole number of 8-byte words");
  MessageReader r;
  r.words_ = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(r.words_.begin(), bytes.data(), bytes.size());
  // The constructor validates the segment table and throws on inconsistency.
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
    r.reader_ = std::make_unique<capnp::FlatArrayMessageReader>(
        r.words_.asPtr(), reader_options_for(bytes.size()));
  });
  if (failure != nullptr) return Status::corrupt("malformed Cap'n Proto message");
  return r;
}

ScratchBuilder::~ScratchBuilder() {
  auto bytes = kj::arrayPtr(scratch_.data(), scratch_.size()).asBytes();
  wipe(std::span<uint8_t>(bytes.begin(), bytes.size()));
}

Result<uint32_t> frame_length(const uint8_t header[kFrameHeaderBytes], size_t max_bytes) {
  uint32_t n = get_u32_be(header);
  if (n == 0 || n > max_bytes)
    return Status::invalid("frame length " + std::to_string(n) + " is outside 1.." +
                           std::to_string(max_bytes));
  if (n % sizeof(capnp::word) != 0) return Status::corrupt("frame length is not whole words");
  return n;
}

}  // namespace hearth::wire
