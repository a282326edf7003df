// Sockets for the fuzzers that run the daemon's socket code (coroutines over
// asio::ip::tcp::socket or the control socket) in process, one io_context
// for the whole run.
//
// tcp_socket_pair() is a ::socketpair(AF_UNIX, SOCK_STREAM) whose two ends
// are adopted by asio::ip::tcp::socket objects. Asio does not look at the
// address family of an adopted descriptor, and the code under test only
// reads, writes, shuts down and closes, which a Unix stream socket does as a
// TCP one does; remote_endpoint() is the one call that would differ. It
// needs no port and leaves no TIME_WAIT behind, so a fuzzer can make one
// pair per input for hours.
#pragma once

#include <sys/socket.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <utility>

#include "util/assert.h"

namespace hearth::fuzz {

inline std::pair<asio::ip::tcp::socket, asio::ip::tcp::socket> tcp_socket_pair(
    asio::io_context& io) {
  int fds[2];
  HEARTH_ASSERT(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0,
                "socketpair failed");
  asio::ip::tcp::socket a(io), b(io);
  asio::error_code ec;
  a.assign(asio::ip::tcp::v4(), fds[0], ec);
  HEARTH_ASSERT(!ec, "cannot adopt a socket");
  b.assign(asio::ip::tcp::v4(), fds[1], ec);
  HEARTH_ASSERT(!ec, "cannot adopt a socket");
  return {std::move(a), std::move(b)};
}

// Every coroutine a fuzzer starts: an exception escaping it is a finding.
template <typename Awaitable>
void spawn_checked(asio::io_context& io, Awaitable&& task) {
  asio::co_spawn(io, std::forward<Awaitable>(task), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      ::hearth::detail::assert_failed("no exception", __FILE__, __LINE__, ex.what());
    }
  });
}

// Runs `io` until done() holds or `limit` has passed; returns done(). The
// limit is far above what an input needs: reaching it means the code under
// test is waiting for bytes that will never come.
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(3)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace hearth::fuzz
