#include "net/handshake_io.h"

#include <doctest/doctest.h>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <optional>

#include "proto/noise_stream.h"
#include "net/asio_util.h"
#include "net_fixtures.h"

using namespace hearth;
using asio::ip::tcp;

namespace {

using net::use_tuple;

struct Run {
  crypto::DeviceIdentity dialer = crypto::DeviceIdentity::generate();
  crypto::DeviceIdentity listener = crypto::DeviceIdentity::generate();
};

constexpr uint64_t kT0 = 1'700'000'000'000;

// Accepts each timestamp greater than the last one it accepted, as the store does.
struct MemoryGuard : proto::ReplayGuard {
  uint64_t last = 0;
  Status admit(const Key32&, uint64_t timestamp) override {
    if (timestamp <= last) return Status::refused("not newer");
    last = timestamp;
    return Status::ok();
  }
};

}  // namespace

TEST_CASE("a paired dialer and listener agree on transport keys") {
  Run r;
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(kT0);
  REQUIRE(m1.is_ok());
  CHECK(m1->size() == 136);
  auto responder = proto::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  auto read = responder->read_first(*m1, r.dialer.public_key());
  REQUIRE(read.is_ok());
  CHECK(read->peer == r.dialer.public_key());
  CHECK(read->timestamp == kT0);
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
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(kT0);
  REQUIRE(m1.is_ok());
  SUBCASE("another partner") {
    auto responder = proto::SessionResponder::create(r.listener);
    REQUIRE(responder.is_ok());
    auto other = crypto::DeviceIdentity::generate();
    auto peer = responder->read_first(*m1, other.public_key());
    CHECK(peer.status().code() == Code::kRefused);
    CHECK(peer.status().message() == "refused a connection from an unknown device " +
                                         crypto::short_device_id(r.dialer.public_key()));
  }
  SUBCASE("no partner yet") {
    auto responder = proto::SessionResponder::create(r.listener);
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
  config.prologue = as_bytes(proto::kSessionPrologue);
  auto keys = crypto::noise::Keypair::from_private(impostor.x25519_secret());
  REQUIRE(keys.is_ok());
  config.static_keypair = std::move(*keys);
  config.remote_static = r.listener.x25519_public();
  auto hs = crypto::noise::HandshakeState::create(std::move(config));
  REQUIRE(hs.is_ok());
  auto m1 = hs->write_message(proto::first_payload(r.dialer.public_key(), kT0));
  REQUIRE(m1.is_ok());
  auto responder = proto::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  auto peer = responder->read_first(*m1, r.dialer.public_key());
  CHECK(peer.status().code() == Code::kRefused);
}

TEST_CASE("a handshake with another prologue or a damaged message fails") {
  Run r;
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(kT0);
  REQUIRE(m1.is_ok());
  Bytes damaged = *m1;
  damaged[70] ^= 0x04;
  auto responder = proto::SessionResponder::create(r.listener);
  REQUIRE(responder.is_ok());
  CHECK(responder->read_first(damaged, r.dialer.public_key()).status().code() == Code::kAuthFailed);
  auto fresh = proto::SessionResponder::create(r.listener);
  REQUIRE(fresh.is_ok());
  CHECK(fresh->read_first(ByteView(*m1).first(100), r.dialer.public_key()).status().code() ==
        Code::kCorrupt);
}

TEST_CASE("a reply from a device other than the partner dialed fails") {
  Run r;
  auto stranger = crypto::DeviceIdentity::generate();
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(kT0);
  REQUIRE(m1.is_ok());
  // The stranger cannot even read message 1: it was encrypted to the listener's key.
  auto responder = proto::SessionResponder::create(stranger);
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
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  auto m1 = initiator->first_message(kT0);
  REQUIRE(m1.is_ok());
  Bytes half{proto::kPreludeSession};
  append(half, ByteView(proto::frame_noise_message(*m1)).first(40));
  for (const Bytes& sent : {Bytes{}, Bytes{proto::kPreludeSession}, half}) {
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
          proto::Authenticated auth;
          MemoryGuard guard;
          result = co_await net::respond_session(socket, r.listener, r.dialer.public_key(), guard,
                                                 auth, std::chrono::milliseconds(200));
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

TEST_CASE("message 1 without a timestamp, or with one out of range, is refused unread") {
  Run r;
  for (const Bytes& payload :
       {Bytes(r.dialer.public_key().begin(), r.dialer.public_key().end()),
        proto::first_payload(r.dialer.public_key(), proto::kMaxHandshakeTimestamp + 1)}) {
    crypto::noise::HandshakeConfig config;
    config.pattern = crypto::noise::kIK;
    config.initiator = true;
    config.prologue = as_bytes(proto::kSessionPrologue);
    auto keys = crypto::noise::Keypair::from_private(r.dialer.x25519_secret());
    REQUIRE(keys.is_ok());
    config.static_keypair = std::move(*keys);
    config.remote_static = r.listener.x25519_public();
    auto hs = crypto::noise::HandshakeState::create(std::move(config));
    REQUIRE(hs.is_ok());
    auto m1 = hs->write_message(payload);
    REQUIRE(m1.is_ok());
    auto responder = proto::SessionResponder::create(r.listener);
    REQUIRE(responder.is_ok());
    CHECK(responder->read_first(*m1, r.dialer.public_key()).status().code() == Code::kCorrupt);
  }
  auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
  REQUIRE(initiator.is_ok());
  CHECK(initiator->first_message(proto::kMaxHandshakeTimestamp + 1).status().code() ==
        Code::kInvalidArgument);
}

TEST_CASE("a listener answers a recorded message 1 once, and never after a newer one") {
  asio::io_context io;
  Run r;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  MemoryGuard guard;
  auto message1 = [&](uint64_t timestamp) {
    auto initiator = proto::SessionInitiator::create(r.dialer, r.listener.public_key());
    REQUIRE(initiator.is_ok());
    auto m1 = initiator->first_message(timestamp);
    REQUIRE(m1.is_ok());
    Bytes sent{proto::kPreludeSession};
    append(sent, proto::frame_noise_message(*m1));
    return sent;
  };
  // What the listener makes of `sent`, and whether the dialer got message 2.
  auto respond = [&](const Bytes& sent) {
    std::optional<Status> result;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
          REQUIRE_FALSE(ec);
          proto::Authenticated auth;
          result = co_await net::respond_session(socket, r.listener, r.dialer.public_key(), guard,
                                                 auth, std::chrono::seconds(2));
        },
        [](std::exception_ptr e) {
          if (e) FAIL("the listener's coroutine threw");
        });
    tcp::socket dialer(io);
    dialer.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(dialer, asio::buffer(sent));
    REQUIRE(test::run_until(
        io, [&] { return result.has_value(); }, std::chrono::seconds(5)));
    dialer.non_blocking(true);
    uint8_t byte = 0;
    asio::error_code ec;
    const bool answered = dialer.read_some(asio::buffer(&byte, 1), ec) == 1;
    return std::make_pair(*result, answered);
  };
  const Bytes recorded = message1(kT0 + 5);
  auto [first, first_answered] = respond(recorded);
  CHECK(first.is_ok());
  CHECK(first_answered);
  auto [replay, replay_answered] = respond(recorded);
  CHECK(replay.code() == Code::kRefused);
  CHECK(replay.message().find("replay") != std::string::npos);
  CHECK_FALSE(replay_answered);
  // An older message 1 the listener never saw is refused as well.
  auto [older, older_answered] = respond(message1(kT0 + 1));
  CHECK(older.code() == Code::kRefused);
  CHECK_FALSE(older_answered);
  auto [newer, newer_answered] = respond(message1(kT0 + 6));
  CHECK(newer.is_ok());
  CHECK(newer_answered);
}
