#include "net/handshake.h"

#include <doctest/doctest.h>

using namespace hearth;

namespace {

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
