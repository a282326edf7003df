// Framed Noise messages on a TCP socket (schema/PROTOCOL.md §3.2): the
// socket half of proto/noise_stream.h.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <cstddef>
#include <vector>

#include "crypto/noise.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::net {

// Reads one framed Noise message into `out` (resized to its length).
// kUnavailable when the stream ends or fails; kCorrupt for a length outside
// min_bytes..max_bytes, before the message is read.
asio::awaitable<Status> read_noise_message(asio::ip::tcp::socket& socket, Bytes& out,
                                           size_t min_bytes,
                                           size_t max_bytes = crypto::noise::kMaxMessage);
// Writes already framed messages with one gathered write.
asio::awaitable<Status> write_framed(asio::ip::tcp::socket& socket,
                                     const std::vector<Bytes>& framed);

}  // namespace hearth::net
