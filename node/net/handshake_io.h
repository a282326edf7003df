// The session handshake on a TCP socket: the socket drivers of
// proto/handshake.h's proto::SessionInitiator and proto::SessionResponder, with the
// prelude byte (schema/PROTOCOL.md §3.1, §3.3) and the deadline.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <optional>

#include "crypto/identity.h"
#include "proto/handshake.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::net {

// Runs the dialer's side on a connected socket, within `timeout`, with
// `timestamp` in message 1. On failure the socket is left as it is; the
// caller closes it.
//   kUnavailable: the listener closed without answering (it does not know
//   this device, or the timestamp is not newer than one it accepted) or the
//   time ran out; other codes: a bad message 2.
asio::awaitable<Status> initiate_session(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self, const Key32& partner,
    uint64_t timestamp, proto::Authenticated& out,
    std::chrono::steady_clock::duration timeout = proto::kHandshakeTimeout);

// Runs the listener's side on an accepted socket, within `timeout`; message 2
// goes out only once `guard` admitted message 1's timestamp. Failures as
// proto::SessionResponder::read_first, plus kRefused (a timestamp not newer than
// one accepted before: a replay), kUnavailable (closed, time ran out, a
// pairing prelude) and kCorrupt (an unknown prelude).
asio::awaitable<Status> respond_session(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self,
    const std::optional<Key32>& partner, proto::ReplayGuard& guard, proto::Authenticated& out,
    std::chrono::steady_clock::duration timeout = proto::kHandshakeTimeout);

// Reads the prelude byte of an accepted socket within `timeout`.
// kUnavailable: the connection closed or the time ran out.
asio::awaitable<Result<uint8_t>> read_prelude(
    asio::ip::tcp::socket& socket, std::chrono::steady_clock::duration timeout = proto::kHandshakeTimeout);

// respond_session for a socket whose session prelude (0x01) was already read.
asio::awaitable<Status> respond_session_after_prelude(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self,
    const std::optional<Key32>& partner, proto::ReplayGuard& guard, proto::Authenticated& out,
    std::chrono::steady_clock::duration timeout = proto::kHandshakeTimeout);

}  // namespace hearth::net
