#include <doctest/doctest.h>

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "../store/store_fixtures.h"
#include "net/dialer.h"
#include "net/handshake_io.h"
#include "net/link_report.h"
#include "net/noise_io.h"
#include "proto/noise_stream.h"
#include "net_fixtures.h"

using namespace hearth;
using asio::ip::tcp;
using hearth::test::NetSide;
using hearth::test::random_id;
using hearth::test::run_until;

namespace {

void write_reflections(NetSide& side, int count, const std::string& prefix) {
  for (int i = 0; i < count; ++i) {
    auto m = side.u->journal.write(
        model::ReflectionPut{random_id(), prefix + std::to_string(i), {}, "", {}},
        store::Visibility::kShared);
    REQUIRE(m.is_ok());
  }
}

template <typename F>
void spawn_test(asio::io_context& io, F&& f) {
  asio::co_spawn(io, std::forward<F>(f), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      FAIL("test coroutine threw: " << ex.what());
    }
  });
}

// Reads and decrypts everything the other end sends until it closes.
asio::awaitable<void> read_until_closed(tcp::socket& socket, proto::StreamOpener& opener,
                                        std::vector<wire::PeerMessage>& got, bool& closed) {
  Bytes frame;
  for (;;) {
    Status st = co_await net::read_noise_message(socket, frame, crypto::noise::kTagBytes);
    if (!st.is_ok()) break;
    if (!opener.open(frame).is_ok()) break;
    while (auto m = opener.next()) {
      auto decoded = wire::decode_peer_message(*m);
      if (decoded) got.push_back(std::move(*decoded));
    }
  }
  closed = true;
}

// A paired device played by the test: connected and past the handshake.
struct ManualDialer {
  tcp::socket socket;
  Status status = Status::internal("not run");
  proto::Authenticated auth;
  explicit ManualDialer(asio::io_context& io) : socket(io) {}

  void dial(asio::io_context& io, const crypto::DeviceIdentity& me, const Key32& partner,
            const std::string& address) {
    bool done = false;
    spawn_test(io, [&]() -> asio::awaitable<void> {
      auto where = net::parse_address(address);
      REQUIRE(where.is_ok());
      status = co_await net::connect_to(socket, *where);
      if (status.is_ok())
        status = co_await net::initiate_session(socket, me, partner,
                                                static_cast<uint64_t>(test::net_clock_ms()), auth);
      done = true;
    });
    REQUIRE(run_until(io, [&] { return done; }));
  }
};

}  // namespace

TEST_CASE("two paired daemons catch up over loopback TCP and then push changes at once") {
  asio::io_context io;  // outlives the sides' sockets and timers
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  write_reflections(a, 600, "from a ");
  write_reflections(b, 300, "from b ");
  b.make_service(io, net::SyncOptions{{}, "127.0.0.1", std::chrono::milliseconds(10'000)});
  a.add_address(b.listen(io));
  a.make_service(io);
  b.service->start();
  a.service->start();

  REQUIRE(run_until(io, [&] {
    return a.caught_up() && b.caught_up() && a.head_of(b.self()) == 300 &&
           b.head_of(a.self()) == 600;
  }));
  CHECK(a.service->progress().partner_has_mine == 600);
  CHECK(b.service->progress().partner_has_mine == 300);
  CHECK(b.service->listening() == "127.0.0.1");
  auto listed = b.u->reader.reflections(0, false);
  REQUIRE(listed.is_ok());
  CHECK(listed->size() == 900);
  CHECK(a.logged("connected to your partner's device at 127.0.0.1:"));
  CHECK(b.logged("(it dialed this device)"));
  REQUIRE_FALSE(b.seen.empty());
  CHECK(std::holds_alternative<sync::ConnectionChange>(b.seen.front()));

  // Live: a pause on one side shows on the other without waiting.
  REQUIRE(a.u->journal.write(model::Pause{30, "air"}, store::Visibility::kShared).is_ok());
  REQUIRE(run_until(
      io,
      [&] {
        auto pause = b.u->reader.pause(a.self());
        return pause.is_ok() && pause->view.paused;
      },
      std::chrono::seconds(2)));

  // Stopping says goodbye; the other side logs why.
  bool stopped = false;
  a.service->stop([&] { stopped = true; });
  REQUIRE(run_until(io, [&] {
    return stopped && !b.connected() &&
           b.logged("your partner's device closed the connection (shutting down)");
  }));
  CHECK(a.logged("disconnected from your partner's device (shutting down)"));
  CHECK(std::holds_alternative<sync::ConnectionChange>(b.seen.back()));
  CHECK_FALSE(std::get<sync::ConnectionChange>(b.seen.back()).connected);
}

TEST_CASE("the dialer with the smaller device key wins, on both sides") {
  const Key32 low{0x01};
  const Key32 high{0x02};
  // Seen from the smaller key: its own dial wins over the partner's.
  CHECK(net::keep_new_link(low, high, true, false));
  CHECK_FALSE(net::keep_new_link(low, high, false, true));
  // Seen from the larger key: the partner's dial wins.
  CHECK(net::keep_new_link(high, low, false, true));
  CHECK_FALSE(net::keep_new_link(high, low, true, false));
  // Same dialer twice: the newer link.
  CHECK(net::keep_new_link(low, high, true, true));
  CHECK(net::keep_new_link(low, high, false, false));
}

TEST_CASE("two devices dialing each other at once end with one connection they agree on") {
  asio::io_context io;  // outlives the sides' sockets and timers
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  write_reflections(a, 20, "a ");
  write_reflections(b, 20, "b ");
  a.make_service(io);
  b.make_service(io);
  const std::string a_at = a.listen(io);
  const std::string b_at = b.listen(io);
  a.add_address(b_at);
  b.add_address(a_at);
  a.service->start();
  b.service->start();
  REQUIRE(run_until(io, [&] {
    return a.caught_up() && b.caught_up() && a.head_of(b.self()) == 20 && b.head_of(a.self()) == 20;
  }));
  // Let any duplicate finish closing, then look again.
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(300));
  CHECK(a.connected());
  CHECK(b.connected());
  // Both dialed in the same turn of the loop, so both handshakes completed
  // and each side chose: the link dialed by the smaller device key.
  const bool a_is_smaller = a.self() < b.self();
  CHECK(a.service->live_we_dialed() == std::optional<bool>(a_is_smaller));
  CHECK(b.service->live_we_dialed() == std::optional<bool>(!a_is_smaller));
  // One connection as far as the user can tell: connected once, never closed.
  auto connects = [](NetSide& s) {
    int n = 0;
    for (const auto& m : s.activity()) n += m.rfind("connected to", 0) == 0;
    return n;
  };
  CHECK(connects(a) == 1);
  CHECK(connects(b) == 1);
  CHECK_FALSE(a.logged("closed the connection"));
  CHECK_FALSE(b.logged("closed the connection"));
}

TEST_CASE("a device that is not the partner is refused without a reply, and it is logged") {
  asio::io_context io;
  NetSide a, b, stranger;
  a.pair_with(b);
  b.pair_with(a);
  stranger.pair_with(b);
  b.make_service(io);
  const std::string b_at = b.listen(io);
  b.service->start();
  ManualDialer dialer(io);
  dialer.dial(io, stranger.keys.identity, b.self(), b_at);
  // No byte came back: the handshake saw the connection close.
  CHECK(dialer.status.code() == Code::kUnavailable);
  CHECK(dialer.status.message().find("without answering") != std::string::npos);
  REQUIRE(run_until(io, [&] { return b.logged("unknown device"); }));
  CHECK(b.logged("refused a connection from an unknown device " +
                 crypto::short_device_id(stranger.self()) + " at 127.0.0.1"));
  CHECK_FALSE(b.connected());
}

TEST_CASE("strangers by the dozen are recorded once, then counted in one line") {
  asio::io_context io;
  NetSide b;
  net::SyncOptions options;
  options.refusal_window = std::chrono::seconds(30);
  b.make_service(io, options);
  const std::string b_at = b.listen(io);
  b.service->start();
  REQUIRE(b.u->activity.append("info", "before the strangers", 1).is_ok());
  for (int i = 0; i < 30; ++i) {
    NetSide stranger;
    ManualDialer dialer(io);
    dialer.dial(io, stranger.keys.identity, b.self(), b_at);
    CHECK(dialer.status.code() == Code::kUnavailable);
  }
  // The window's count is written when it ends, or when the daemon stops.
  bool stopped = false;
  b.service->stop([&] { stopped = true; });
  REQUIRE(run_until(io, [&] { return stopped; }));
  CHECK(b.logged("30 connections refused from 127.0.0.1 in the last 30 s"));
  const auto log = b.activity();
  CHECK(log.size() == 3);  // before, the first refusal, the count
  CHECK(log.front() == "before the strangers");
}

TEST_CASE("a flipped bit in a transport message closes the link at once") {
  asio::io_context io;  // outlives the sides' sockets and timers
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  b.make_service(io);
  const std::string b_at = b.listen(io);
  b.service->start();
  ManualDialer dialer(io);
  dialer.dial(io, a.keys.identity, b.self(), b_at);
  REQUIRE(dialer.status.is_ok());
  // Not connected yet: the link counts once the dialer's first message opens.
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(100));
  CHECK_FALSE(b.connected());

  proto::StreamSealer sealer(std::move(dialer.auth.transport.send));
  proto::StreamOpener opener(std::move(dialer.auth.transport.recv));
  std::vector<Bytes> framed;
  REQUIRE(
      sealer.seal(std::vector<Bytes>{wire::encode_peer_message(wire::Ping{7})}, framed).is_ok());
  framed[0][framed[0].size() - 3] ^= 0x20;  // inside the tag
  std::vector<wire::PeerMessage> got;
  bool closed = false;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    Status st = co_await net::write_framed(dialer.socket, framed);
    CHECK(st.is_ok());
    co_await read_until_closed(dialer.socket, opener, got, closed);
  });
  REQUIRE(run_until(
      io, [&] { return closed; }, std::chrono::seconds(5)));
  // B said Hello, then closed without a Bye.
  REQUIRE(got.size() == 1);
  CHECK(std::holds_alternative<wire::Hello>(got[0]));
  CHECK_FALSE(b.connected());
  CHECK(b.logged("did not decrypt"));
}

TEST_CASE("a quiet link is kept alive by pings, and one that hears nothing ends with a timeout") {
  asio::io_context io;  // outlives the sides' sockets and timers
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  net::SyncOptions quick;
  quick.link.ping_after = std::chrono::milliseconds(100);
  quick.link.idle_timeout = std::chrono::milliseconds(400);
  b.make_service(io, quick);
  const std::string b_at = b.listen(io);
  b.service->start();
  ManualDialer dialer(io);
  dialer.dial(io, a.keys.identity, b.self(), b_at);
  REQUIRE(dialer.status.is_ok());
  proto::StreamSealer sealer(std::move(dialer.auth.transport.send));
  proto::StreamOpener opener(std::move(dialer.auth.transport.recv));
  std::vector<wire::PeerMessage> got;
  bool closed = false;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    // Hello, then silence.
    std::vector<Bytes> framed;
    CHECK(
        sealer.seal(std::vector<Bytes>{wire::encode_peer_message(wire::Hello{})}, framed).is_ok());
    CHECK((co_await net::write_framed(dialer.socket, framed)).is_ok());
    co_await read_until_closed(dialer.socket, opener, got, closed);
  });
  REQUIRE(run_until(
      io, [&] { return closed; }, std::chrono::seconds(5)));
  REQUIRE(got.size() >= 3);
  CHECK(std::holds_alternative<wire::Hello>(got.front()));
  CHECK(std::holds_alternative<wire::Ping>(got[1]));
  REQUIRE(std::holds_alternative<wire::Bye>(got.back()));
  CHECK(std::get<wire::Bye>(got.back()).reason == wire::ByeReason::kTimeout);
  CHECK(b.logged("closed the connection with your partner's device (timeout)"));

  // Two real daemons with the same timings stay connected: each pings.
  NetSide c, d;
  c.pair_with(d);
  d.pair_with(c);
  d.make_service(io, quick);
  c.add_address(d.listen(io));
  c.make_service(io, quick);
  d.service->start();
  c.service->start();
  REQUIRE(run_until(io, [&] { return c.caught_up() && d.caught_up(); }));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(1200));
  CHECK(c.connected());
  CHECK(d.connected());
}

namespace {

// Connects from `source` (any 127.x.y.z is this host) to `port`.
std::unique_ptr<tcp::socket> connect_from(asio::io_context& io, const std::string& source,
                                          uint16_t port) {
  auto s = std::make_unique<tcp::socket>(io);
  s->open(tcp::v4());
  s->bind(tcp::endpoint(asio::ip::make_address(source), 0));
  s->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  return s;
}

// Whether the listener closed `s` (a read sees the end or an error at once).
bool closed_by_listener(tcp::socket& s) {
  s.non_blocking(true);
  uint8_t byte = 0;
  asio::error_code ec;
  s.read_some(asio::buffer(&byte, 1), ec);
  return ec && ec != asio::error::would_block;
}

}  // namespace

TEST_CASE(
    "silent connections hold at most a few slots per source, and never keep the partner out") {
  asio::io_context io;
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  net::SyncOptions options;
  options.first_bytes = std::chrono::milliseconds(1500);
  b.make_service(io, options);
  const std::string b_at = b.listen(io);
  const uint16_t port = b.listener->local_endpoints().at(0).port();
  b.service->start();
  auto settle = [&] {
    run_until(
        io, [] { return false; }, std::chrono::milliseconds(150));
  };

  // How many of `flood` the listener still holds (it closed the others).
  auto held_of = [](std::vector<std::unique_ptr<tcp::socket>>& flood) {
    size_t held = 0;
    for (auto& sock : flood) held += closed_by_listener(*sock) ? 0 : 1;
    return held;
  };
  SUBCASE("one source keeps only its newest few") {
    std::vector<std::unique_ptr<tcp::socket>> flood;
    for (int i = 0; i < 20; ++i) flood.push_back(connect_from(io, "127.0.0.2", port));
    CHECK(run_until(io, [&] { return held_of(flood) == net::SyncService::kMaxPendingPerSource; },
                    std::chrono::seconds(5)));
    // The oldest went to make room; the newest stay.
    for (size_t i = flood.size() - net::SyncService::kMaxPendingPerSource; i < flood.size(); ++i)
      CHECK_FALSE(closed_by_listener(*flood[i]));
  }
  SUBCASE("a flood from many sources makes room for the partner at once") {
    std::vector<std::unique_ptr<tcp::socket>> flood;
    for (size_t i = 0; i < 3 * net::SyncService::kMaxPendingInbound; ++i)
      flood.push_back(connect_from(io, "127.0.1." + std::to_string(i + 1), port));
    CHECK(run_until(io, [&] { return held_of(flood) == net::SyncService::kMaxPendingInbound; },
                    std::chrono::seconds(5)));
    const auto started = std::chrono::steady_clock::now();
    ManualDialer dialer(io);
    dialer.dial(io, a.keys.identity, b.self(), b_at);
    CHECK(dialer.status.is_ok());
    // At once, not after some waiting connection's handshake time ran out.
    CHECK(std::chrono::steady_clock::now() - started < proto::kHandshakeTimeout / 2);
  }
  SUBCASE("a connection that sends nothing is closed once its first bytes are late") {
    auto quiet = connect_from(io, "127.0.0.3", port);
    settle();
    CHECK_FALSE(closed_by_listener(*quiet));
    run_until(
        io, [] { return false; }, std::chrono::milliseconds(1600));
    CHECK(closed_by_listener(*quiet));
  }
}

TEST_CASE("a recorded first handshake message is answered at most once and never takes over") {
  asio::io_context io;  // outlives the sides' sockets and timers
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  net::SyncOptions quick;
  quick.link.prove_within = std::chrono::milliseconds(300);
  b.make_service(io, quick);
  const std::string b_at = b.listen(io);
  const uint16_t port = b.listener->local_endpoints().at(0).port();
  a.add_address(b_at);
  a.make_service(io);
  b.service->start();
  a.service->start();
  REQUIRE(run_until(io, [&] { return a.caught_up() && b.caught_up(); }));

  // A's message 1, as made by A but never followed by anything (recorded on
  // the way and held back, say).
  auto initiator = proto::SessionInitiator::create(a.keys.identity, b.self());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(static_cast<uint64_t>(test::net_clock_ms()));
  REQUIRE(m1.is_ok());
  Bytes recorded{proto::kPreludeSession};
  append(recorded, proto::frame_noise_message(*m1));
  // Sends `recorded` and returns how many bytes came back before B closed.
  auto replay = [&] {
    tcp::socket s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(s, asio::buffer(recorded));
    size_t got = 0;
    bool closed = false;
    spawn_test(io, [&]() -> asio::awaitable<void> {
      uint8_t buffer[256];
      for (;;) {
        auto [ec, n] = co_await s.async_read_some(
            asio::buffer(buffer), asio::experimental::as_tuple(asio::use_awaitable));
        got += n;
        if (ec) break;
      }
      closed = true;
    });
    REQUIRE(run_until(
        io, [&] { return closed; }, std::chrono::seconds(5)));
    return got;
  };
  const size_t disconnects = b.activity().size();
  // The first time B answers (the message is new to it), but the link it
  // opens never counts: the live session carries on, and the new link ends.
  CHECK(replay() > 0);
  CHECK(a.connected());
  CHECK(b.connected());
  REQUIRE(b.logged("before anything on it could be opened"));
  // Sent again, it is refused unanswered.
  CHECK(replay() == 0);
  REQUIRE(run_until(io, [&] { return b.logged("a replay"); }));
  // Nothing ended the live session: a change still goes through at once.
  write_reflections(a, 1, "after the replay ");
  REQUIRE(run_until(
      io, [&] { return b.head_of(a.self()) == 1; }, std::chrono::seconds(2)));
  CHECK(a.connected());
  CHECK(b.connected());
  for (size_t i = disconnects; i < b.activity().size(); ++i) {
    CHECK(b.activity()[i].find("connected to your partner") == std::string::npos);
    CHECK(b.activity()[i].find("disconnected") == std::string::npos);
  }
  CHECK_FALSE(a.logged("disconnected"));
}

TEST_CASE("a flood of Pings is answered with one Pong to the latest of them") {
  asio::io_context io;
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  b.make_service(io);
  const std::string b_at = b.listen(io);
  b.service->start();
  ManualDialer dialer(io);
  dialer.dial(io, a.keys.identity, b.self(), b_at);
  REQUIRE(dialer.status.is_ok());
  proto::StreamSealer sealer(std::move(dialer.auth.transport.send));
  proto::StreamOpener opener(std::move(dialer.auth.transport.recv));
  constexpr uint64_t kPings = 5000;
  std::vector<Bytes> messages{wire::encode_peer_message(wire::Hello{})};
  for (uint64_t i = 1; i <= kPings; ++i)
    messages.push_back(wire::encode_peer_message(wire::Ping{i}));
  std::vector<Bytes> framed;
  REQUIRE(sealer.seal(messages, framed).is_ok());
  std::vector<wire::PeerMessage> got;
  bool closed = false;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    CHECK((co_await net::write_framed(dialer.socket, framed)).is_ok());
    co_await read_until_closed(dialer.socket, opener, got, closed);
  });
  auto pongs = [&] {
    std::vector<uint64_t> out;
    for (const auto& m : got)
      if (const auto* p = std::get_if<wire::Pong>(&m)) out.push_back(p->nonce);
    return out;
  };
  REQUIRE(run_until(io, [&] { return !pongs().empty() && pongs().back() == kPings; }));
  const std::vector<uint64_t> answered = pongs();
  CHECK(answered.size() < 100);
  CHECK(std::is_sorted(answered.begin(), answered.end()));
  CHECK(b.connected());
}

TEST_CASE("a link whose queue passes its limit ends at once") {
  asio::io_context io;
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  write_reflections(b, 300, "a few hundred bytes each, more than the limit together ");
  net::SyncOptions small;
  small.link.max_queued_bytes = 16 << 10;
  b.make_service(io, small);
  const std::string b_at = b.listen(io);
  b.service->start();
  ManualDialer dialer(io);
  dialer.dial(io, a.keys.identity, b.self(), b_at);
  REQUIRE(dialer.status.is_ok());
  proto::StreamSealer sealer(std::move(dialer.auth.transport.send));
  proto::StreamOpener opener(std::move(dialer.auth.transport.recv));
  std::vector<Bytes> framed;
  // A Hello that holds nothing: B queues its whole log at once.
  REQUIRE(
      sealer.seal(std::vector<Bytes>{wire::encode_peer_message(wire::Hello{})}, framed).is_ok());
  std::vector<wire::PeerMessage> got;
  bool closed = false;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    CHECK((co_await net::write_framed(dialer.socket, framed)).is_ok());
    co_await read_until_closed(dialer.socket, opener, got, closed);
  });
  REQUIRE(run_until(
      io, [&] { return closed; }, std::chrono::seconds(5)));
  CHECK(b.logged("it does not read what this device sends (more than 16 KiB waiting)"));
  CHECK_FALSE(b.connected());
}

TEST_CASE("a fork is reported plainly, and that nothing of it was stored") {
  const auto report = net::describe_end(net::LinkEnd{
      net::LinkEnd::How::kWeSaidBye, wire::ByeReason::kFork, "the partner holds a different event"});
  REQUIRE(report.has_value());
  CHECK(std::string_view(report->level) == "warn");
  CHECK(report->message.find("a fork") != std::string::npos);
  CHECK(report->message.find("Nothing of them was stored") != std::string::npos);
  CHECK(report->message.find("the partner holds a different event") != std::string::npos);
}
