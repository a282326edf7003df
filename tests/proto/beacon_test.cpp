// LAN beacons and the pair key (schema/PROTOCOL.md §5.3), with the clock passed in.
#include "proto/beacon.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace hearth;

namespace {

constexpr int64_t kNow = 1'700'000'010;  // unix seconds, 10 s into a window

struct Couple {
  crypto::DeviceIdentity a = crypto::DeviceIdentity::generate();
  crypto::DeviceIdentity b = crypto::DeviceIdentity::generate();
  Secret key_a() const {
    auto k = proto::derive_pair_key(a, b.public_key());
    REQUIRE(k.is_ok());
    return std::move(k).value();
  }
  Secret key_b() const {
    auto k = proto::derive_pair_key(b, a.public_key());
    REQUIRE(k.is_ok());
    return std::move(k).value();
  }
  // What b's daemon reads a's beacons with.
  proto::BeaconReader reader_at_b() const { return proto::BeaconReader(key_b(), a.public_key()); }
};

proto::BeaconNonce nonce_of(uint8_t fill) {
  proto::BeaconNonce n{};
  n.fill(fill);
  return n;
}

}  // namespace

TEST_CASE("both partners derive the same pair key, and another pair gets another") {
  Couple c;
  CHECK(c.key_a().equals(c.key_b()));
  CHECK(c.key_a().size() == 32);
  const auto stranger = crypto::DeviceIdentity::generate();
  auto other = proto::derive_pair_key(stranger, c.b.public_key());
  REQUIRE(other.is_ok());
  CHECK_FALSE(other->equals(c.key_b()));
  CHECK(proto::derive_pair_key(c.a, Key32{}).status().code() == Code::kInvalidArgument);
}

TEST_CASE("the partner reads the announced port from a beacon") {
  Couple c;
  const Bytes beacon = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow);
  CHECK(beacon.size() == proto::kBeaconBytes);
  auto reader = c.reader_at_b();
  CHECK(reader.read(beacon, kNow) == std::optional<uint16_t>(7420));
}

TEST_CASE("beacons look random: two of the same port share no field") {
  Couple c;
  const Bytes one = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow);
  const Bytes two = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow);
  CHECK_FALSE(std::equal(one.begin(), one.begin() + 16, two.begin()));     // nonce
  CHECK_FALSE(std::equal(one.begin() + 18, one.end(), two.begin() + 18));  // tag
  // The port is not in the clear.
  const Bytes fixed = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow, nonce_of(1));
  const Bytes fixed_other_key =
      proto::make_beacon(Secret::random(32), c.a.public_key(), 7420, kNow, nonce_of(1));
  CHECK_FALSE(std::equal(fixed.begin() + 16, fixed.begin() + 18, fixed_other_key.begin() + 16));
}

TEST_CASE("a beacon under another pair key is ignored") {
  Couple c;
  Couple strangers;
  auto reader = c.reader_at_b();
  const Bytes foreign = proto::make_beacon(strangers.key_a(), strangers.a.public_key(), 7420, kNow);
  CHECK_FALSE(reader.read(foreign, kNow));
  // The right key, but claiming to come from another device.
  const Bytes wrong_sender = proto::make_beacon(c.key_a(), strangers.a.public_key(), 7420, kNow);
  CHECK_FALSE(reader.read(wrong_sender, kNow));
}

TEST_CASE("a daemon ignores its own beacons") {
  Couple c;
  // b's own beacon, heard back by b (a broadcast comes back to its sender).
  const Bytes own = proto::make_beacon(c.key_b(), c.b.public_key(), 7420, kNow);
  auto reader = c.reader_at_b();
  CHECK_FALSE(reader.read(own, kNow));
}

TEST_CASE("a beacon is accepted in its window and one either side, not older or newer") {
  Couple c;
  const Bytes beacon = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow, nonce_of(7));
  SUBCASE("next window (the sender's clock is behind)") {
    auto reader = c.reader_at_b();
    CHECK(reader.read(beacon, kNow + 60) == std::optional<uint16_t>(7420));
  }
  SUBCASE("previous window (the sender's clock is ahead)") {
    auto reader = c.reader_at_b();
    CHECK(reader.read(beacon, kNow - 60) == std::optional<uint16_t>(7420));
  }
  SUBCASE("two windows later: an old beacon") {
    auto reader = c.reader_at_b();
    CHECK_FALSE(reader.read(beacon, kNow + 120));
  }
  SUBCASE("two windows earlier") {
    auto reader = c.reader_at_b();
    CHECK_FALSE(reader.read(beacon, kNow - 120));
  }
}

TEST_CASE("a replayed beacon is ignored for as long as its tag is valid") {
  Couple c;
  auto reader = c.reader_at_b();
  const Bytes beacon = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow);
  REQUIRE(reader.read(beacon, kNow));
  CHECK_FALSE(reader.read(beacon, kNow));
  CHECK_FALSE(reader.read(beacon, kNow + 30));
  CHECK_FALSE(reader.read(beacon, kNow + 60));   // still remembered in the next window
  CHECK_FALSE(reader.read(beacon, kNow + 120));  // by then too old anyway
  // A fresh beacon still gets through, and old nonces are forgotten.
  CHECK(reader.read(proto::make_beacon(c.key_a(), c.a.public_key(), 7421, kNow + 120), kNow + 120) ==
        std::optional<uint16_t>(7421));
  CHECK(reader.remembered() == 1);
}

TEST_CASE("a beacon with any bit flipped, or of the wrong size, is ignored") {
  Couple c;
  const Bytes beacon = proto::make_beacon(c.key_a(), c.a.public_key(), 7420, kNow);
  for (size_t i = 0; i < beacon.size() * 8; ++i) {
    Bytes flipped = beacon;
    flipped[i / 8] ^= static_cast<uint8_t>(1u << (i % 8));
    auto reader = c.reader_at_b();
    CHECK_FALSE(reader.read(flipped, kNow));
  }
  auto reader = c.reader_at_b();
  Bytes longer = beacon;
  longer.push_back(0);
  CHECK_FALSE(reader.read(longer, kNow));
  CHECK_FALSE(reader.read(ByteView(beacon).first(33), kNow));
  CHECK_FALSE(reader.read(Bytes{}, kNow));
  CHECK(reader.read(beacon, kNow));  // the intact one
}

TEST_CASE("a beacon announcing port 0 is ignored") {
  Couple c;
  auto reader = c.reader_at_b();
  CHECK_FALSE(reader.read(proto::make_beacon(c.key_a(), c.a.public_key(), 0, kNow), kNow));
}

TEST_CASE("beacon windows are minutes, counted down for times before 1970") {
  CHECK(proto::beacon_window(0) == 0);
  CHECK(proto::beacon_window(59) == 0);
  CHECK(proto::beacon_window(60) == 1);
  CHECK(proto::beacon_window(-1) == -1);
  CHECK(proto::beacon_window(-60) == -1);
  CHECK(proto::beacon_window(-61) == -2);
}
