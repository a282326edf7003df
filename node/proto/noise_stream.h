// The framing of a Hearth session on a TCP stream (schema/PROTOCOL.md §3.2, §3.4).
//
// Every Noise message, handshake or transport, travels as a 2-byte
// big-endian length followed by the message (at most 65535 bytes).
//
// After the handshake the application stream is a sequence of
// [4-byte big-endian length N][N bytes of one peer message], 1 <= N <=
// wire::kMaxPeerMessageBytes. That byte stream is cut into chunks of at most
// kMaxChunkPlaintext bytes, each encrypted as one Noise transport message.
// Chunks may split messages anywhere; the receiver reassembles them.
//
// StreamSealer and StreamOpener are the two halves of that, without sockets;
// net/noise_io.h moves the framed bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "crypto/noise.h"
#include "util/bytes.h"
#include "util/status.h"
#include "wire/peer_codec.h"

namespace hearth::proto {

inline constexpr size_t kNoiseLengthBytes = 2;
inline constexpr size_t kAppLengthBytes = 4;
// 65535 - 16: the largest plaintext one transport message carries.
inline constexpr size_t kMaxChunkPlaintext = crypto::noise::kMaxMessage - crypto::noise::kTagBytes;

// Prepends the 2-byte length. `message` must be at most kMaxMessage bytes.
Bytes frame_noise_message(ByteView message);

// The sending half: application messages in, framed transport messages out.
class StreamSealer {
 public:
  explicit StreamSealer(crypto::noise::CipherState send) : send_(std::move(send)) {}

  // Encrypts `messages` (each with its 4-byte length) as framed transport
  // messages, appended to `out` in order; their concatenation is what goes
  // on the wire. Every message must be 1..kMaxPeerMessageBytes long (a bug
  // otherwise). Fails only when the cipher refuses (nonce exhausted).
  Status seal(std::span<const Bytes> messages, std::vector<Bytes>& out);

 private:
  Status flush(Bytes& chunk, std::vector<Bytes>& out);
  crypto::noise::CipherState send_;
};

// The receiving half: transport messages in, application messages out.
class StreamOpener {
 public:
  explicit StreamOpener(crypto::noise::CipherState recv,
                        size_t max_message = wire::kMaxPeerMessageBytes)
      : recv_(std::move(recv)), max_message_(max_message) {}
  ~StreamOpener();
  StreamOpener(StreamOpener&&) noexcept = default;
  StreamOpener& operator=(StreamOpener&&) noexcept = default;

  // Decrypts one transport message (without its 2-byte length) and
  // reassembles what it carries. kAuthFailed: it does not decrypt;
  // kCorrupt: an application length of 0 or above the limit (refused as soon
  // as its 4 bytes are in, before anything is allocated for the message).
  // After a failure every later call fails too.
  Status open(ByteView transport_message);
  // The next complete application message, oldest first. The caller wipes
  // it when done (it may be a Hello, with log keys); the opener wipes the
  // plaintext it keeps.
  std::optional<Bytes> next();

 private:
  Status feed(ByteView plain);
  crypto::noise::CipherState recv_;
  size_t max_message_;
  Status failed_ = Status::ok();
  uint8_t header_[kAppLengthBytes] = {};
  size_t header_have_ = 0;
  size_t body_need_ = 0;  // length of the message being filled; 0: reading a header
  Bytes body_;
  std::deque<Bytes> ready_;
};

}  // namespace hearth::proto
