// Ending a service's coroutines at once, as the daemon does when it locks.
#include <doctest/doctest.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "net/handshake_io.h"
#include "net/spawn.h"
#include "net_fixtures.h"

using namespace hearth;
using namespace std::chrono_literals;
using asio::ip::tcp;
using hearth::test::NetSide;
using hearth::test::run_until;

TEST_CASE("cancel_all ends tasks waiting on a timer or a socket at once, and no new one starts") {
  asio::io_context io;
  net::TaskGroup tasks(io.get_executor());
  int ended = 0;
  asio::steady_timer long_wait(io, 1h);
  // Coroutines take what they use as parameters: a lambda's captures would
  // die with the lambda, before the coroutine ends.
  tasks.spawn(
      [](int& n, asio::steady_timer& timer) -> asio::awaitable<void> {
        struct Count {
          int& n;
          ~Count() { ++n; }
        } count{n};
        co_await timer.async_wait(asio::use_awaitable);
      }(ended, long_wait),
      "waiting on a timer");
  // A socket that will never hear anything.
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io), server(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);
  tasks.spawn(
      [](int& n, tcp::socket& socket, asio::steady_timer& timer) -> asio::awaitable<void> {
        struct Count {
          int& n;
          ~Count() { ++n; }
        } count{n};
        uint8_t byte = 0;
        // As the services do: the error as a value, then on to the next step.
        auto [ec, got] = co_await socket.async_read_some(
            asio::buffer(&byte, 1), asio::experimental::as_tuple(asio::use_awaitable));
        CHECK(ec == asio::error::operation_aborted);
        co_await timer.async_wait(asio::use_awaitable);  // throws: cancelled
        FAIL("a cancelled task went on");
      }(ended, server, long_wait),
      "reading a socket");
  run_until(
      io, [] { return false; }, 50ms);
  CHECK(tasks.running() == 2);
  CHECK(ended == 0);

  tasks.cancel_all();
  CHECK(run_until(
      io, [&] { return ended == 2 && tasks.running() == 0; }, 1s));
  bool started = false;
  tasks.spawn(
      [](bool& flag) -> asio::awaitable<void> {
        flag = true;
        co_return;
      }(started),
      "too late");
  run_until(
      io, [] { return false; }, 20ms);
  CHECK_FALSE(started);
}

TEST_CASE("a sync service stopped and cancelled is gone at once, handshakes under way included") {
  asio::io_context io;
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  b.make_service(io);
  b.listen(io);
  const uint16_t port = b.listener->local_endpoints().at(0).port();
  b.service->start();
  // Connections that never finish their handshake: each holds a coroutine
  // (and the service) for up to the handshake timeout.
  std::vector<std::unique_ptr<tcp::socket>> silent;
  for (int i = 0; i < 4; ++i) {
    silent.push_back(std::make_unique<tcp::socket>(io));
    silent.back()->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  run_until(
      io, [] { return false; }, 100ms);

  std::weak_ptr<net::SyncService> weak = b.service;
  bool stopped = false;
  b.service->stop([&] { stopped = true; });
  REQUIRE(run_until(
      io, [&] { return stopped; }, 5s));
  b.listener->stop();
  b.service.reset();
  // Stopped alone, the handshakes would keep it for up to kHandshakeTimeout.
  run_until(
      io, [] { return false; }, 100ms);
  REQUIRE_FALSE(weak.expired());
  const auto started = std::chrono::steady_clock::now();
  weak.lock()->cancel_pending();
  CHECK(run_until(
      io, [&] { return weak.expired(); }, 5s));
  CHECK(std::chrono::steady_clock::now() - started < 1s);
}
