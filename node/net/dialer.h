// Opening a TCP connection to a partner's address.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>

#include "net/address.h"
#include "util/status.h"

namespace hearth::net {

inline constexpr std::chrono::seconds kConnectTimeout{10};

// Connects `socket` to `address` within `timeout`: an IP literal directly, a
// name through the resolver, trying each of its addresses in turn.
// kUnavailable with the reason (refused, unreachable, timed out, unknown name).
asio::awaitable<Status> connect_to(asio::ip::tcp::socket& socket, const Address& address,
                                   std::chrono::steady_clock::duration timeout = kConnectTimeout);

}  // namespace hearth::net
