#include "net/handshake.h"

#include <doctest/doctest.h>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <optional>

#include "net/noise_stream.h"
#include "net_fixtures.h"

using namespace hearth;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

struct Run {
  crypto::DeviceIdentity dialer = crypto::DeviceIdentity::generate();
  crypto::DeviceIdentity listener = crypto::DeviceIdentity::generate();
};

}  // namespace

TEST_CASE("a paired dialer and listener agree on transport keys") {
  Run r;
  auto initiator = net::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message();
  REQUIRE(m1.is_ok());
  auto responder = net::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  auto peer = responder->read_first(*m1, r.dialer.public_key());
  REQUIRE(peer.is_ok());
  CHECK(*peer == r.dialer.public_key());
  auto m2 = responder->second_message();
  REQUIRE(m2.is_ok());
  auto mine = initiator->finish(*m2);
  auto theirs = responder->split();
  REQUIRE(mine.is_ok());
  REQUIRE(theirs.is_ok());
  auto sealed = mine->send.encrypt_with_ad({}, as_bytes("hello"));
  REQUIRE(sealed.is_ok());
  auto opened = theirs->recv.decrypt_with_ad({}, *sealed);
  REQUIRE(opened.is_ok());
  CHECK(as_chars(*opened) == "hello");
  auto back = theirs->send.encrypt_with_ad({}, as_bytes("hi"));
  REQUIRE(back.is_ok());
  CHECK(mine->recv.decrypt_with_ad({}, *back).is_ok());
}

TEST_CASE("a listener refuses a dialer that is not its partner, naming it") {
  Run r;
  auto initiator = net::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message();
  REQUIRE(m1.is_ok());
  SUBCASE("another partner") {
    auto responder = net::SessionResponder::create(r.listener);
    REQUIRE(responder.is_ok());
    auto other = crypto::DeviceIdentity::generate();
    auto peer = responder->read_first(*m1, other.public_key());
    CHECK(peer.status().code() == Code::kRefused);
    CHECK(peer.status().message() == "refused a connection from an unknown device " +
                                         crypto::short_device_id(r.dialer.public_key()));
  }
  SUBCASE("no partner yet") {
    auto responder = net::SessionResponder::create(r.listener);
    REQUIRE(responder.is_ok());
    CHECK(responder->read_first(*m1, std::nullopt).status().code() == Code::kRefused);
  }
}

TEST_CASE("a dialer claiming a device key its Noise key does not match is refused") {
  Run r;
  auto impostor = crypto::DeviceIdentity::generate();
  // The impostor proves its own static key but claims the dialer's device key.
  crypto::noise::HandshakeConfig config;
  config.pattern = crypto::noise::kIK;
  config.initiator = true;
  config.prologue = as_bytes(net::kSessionPrologue);
  auto keys = crypto::noise::Keypair::from_private(impostor.x25519_secret());
  REQUIRE(keys.is_ok());
  config.static_keypair = std::move(*keys);
  config.remote_static = r.listener.x25519_public();
  auto hs = crypto::noise::HandshakeState::create(std::move(config));
  REQUIRE(hs.is_ok());
  auto m1 = hs->write_message(r.dialer.public_key());
  REQUIRE(m1.is_ok());
  auto responder = net::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  auto peer = responder->read_first(*m1, r.dialer.public_key());
  CHECK(peer.status().code() == Code::kRefused);
}

TEST_CASE("a handshake with another prologue or a damaged message fails") {
  Run r;
  auto initiator = net::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message();
  REQUIRE(m1.is_ok());
  Bytes damaged = *m1;
  damaged[70] ^= 0x04;
  auto responder = net::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  CHECK(responder->read_first(damaged, r.dialer.public_key()).status().code() == Code::kAuthFailed);
  auto fresh = net::SessionResponder::create(r.listener);
  REQUIRE(fresh.is_ok());
  CHECK(fresh->read_first(ByteView(*m1).first(100), r.dialer.public_key()).status().code() ==
        Code::kCorrupt);
}

TEST_CASE("a reply from a device other than the partner dialed fails") {
  Run r;
  auto stranger = crypto::DeviceIdentity::generate();
  auto initiator = net::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message();
  REQUIRE(m1.is_ok());
  // The stranger cannot even read message 1: it was encrypted to the listener's key.
  auto responder = net::SessionResponder::create(stranger);
  REQUIRE(responder.is_ok());
  CHECK(responder->read_first(*m1, r.dialer.public_key()).status().code() == Code::kAuthFailed);
}

TEST_CASE("a dialer that stalls mid-handshake is dropped when the time runs out") {
  asio::io_context io;
  Run r;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  // What the dialer sends before it goes quiet, for each case: nothing, the
  // prelude alone, the prelude and half of message 1.
  auto initiator = net::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message();
  REQUIRE(m1.is_ok());
  Bytes half{net::kPreludeSession};
  append(half, ByteView(net::frame_noise_message(*m1)).first(40));
  for (const Bytes& sent : {Bytes{}, Bytes{net::kPreludeSession}, half}) {
    INFO("bytes sent before stalling: " << sent.size());
    std::optional<Status> result;
    std::chrono::steady_clock::duration took{};
    tcp::socket dialer(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
          REQUIRE_FALSE(ec);
          const auto start = std::chrono::steady_clock::now();
          net::Authenticated auth;
          result = co_await net::respond_session(socket, r.listener, r.dialer.public_key(), auth,
                                                 std::chrono::milliseconds(200));
          took = std::chrono::steady_clock::now() - start;
        },
        [](std::exception_ptr e) {
          if (e) FAIL("the listener's coroutine threw");
        });
    dialer.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    if (!sent.empty()) asio::write(dialer, asio::buffer(sent));
    REQUIRE(test::run_until(io, [&] { return result.has_value(); }, std::chrono::seconds(5)));
    CHECK(result->code() == Code::kUnavailable);
    CHECK(took >= std::chrono::milliseconds(190));
    CHECK(took < std::chrono::seconds(2));
  }
}
