#include <doctest/doctest.h>

#include "crypto/identity.h"

using namespace hearth;
using namespace hearth::crypto;

TEST_CASE("a device ID round-trips through its printed form") {
  auto id = DeviceIdentity::generate();
  std::string text = id.device_id();
  CHECK(text.size() == 8 * 7 + 7);
  auto parsed = parse_device_id(text);
  REQUIRE(parsed.is_ok());
  CHECK(*parsed == id.public_key());
}

TEST_CASE("a device ID is accepted in lower case and without dashes") {
  auto id = DeviceIdentity::generate();
  std::string text;
  for (char c : id.device_id())
    if (c != '-') text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto parsed = parse_device_id(text);
  REQUIRE(parsed.is_ok());
  CHECK(*parsed == id.public_key());
}

TEST_CASE("every single-character typo in a device ID is refused") {
  auto id = DeviceIdentity::generate();
  std::string text = id.device_id();
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  int refused = 0, tried = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') continue;
    for (char c : alphabet) {
      if (c == text[i]) continue;
      std::string typo = text;
      typo[i] = c;
      ++tried;
      if (!parse_device_id(typo).is_ok()) ++refused;
    }
  }
  // The 20-bit checksum lets about one in a million typos through; with ~1,700
  // typos the chance that any passes is ~0.2%, so demand all refused but one.
  CHECK(refused >= tried - 1);
}

TEST_CASE("a device ID of the wrong length or alphabet is refused with a clear reason") {
  auto id = DeviceIdentity::generate();
  std::string text = id.device_id();
  auto short_id = parse_device_id(text.substr(0, text.size() - 2));
  CHECK_FALSE(short_id.is_ok());
  CHECK(short_id.status().message().find("characters") != std::string::npos);
  auto bad = parse_device_id("!" + text.substr(1));
  CHECK_FALSE(bad.is_ok());
}

TEST_CASE("signatures verify only for the signed message and key") {
  auto a = DeviceIdentity::generate();
  auto b = DeviceIdentity::generate();
  auto sig = a.sign(as_bytes("hello"));
  CHECK(verify_signature(a.public_key(), as_bytes("hello"), sig));
  CHECK_FALSE(verify_signature(a.public_key(), as_bytes("hellp"), sig));
  CHECK_FALSE(verify_signature(b.public_key(), as_bytes("hello"), sig));
}

TEST_CASE("the X25519 key derived from the public device key matches the secret side") {
  auto a = DeviceIdentity::generate();
  auto derived = x25519_public_from_device(a.public_key());
  REQUIRE(derived.is_ok());
  CHECK(*derived == a.x25519_public());
}

TEST_CASE("an identity rebuilt from its secret key has the same public key") {
  auto a = DeviceIdentity::generate();
  auto b = DeviceIdentity::from_secret(Secret::copy_of(a.secret_key().view()));
  REQUIRE(b.is_ok());
  CHECK(b->public_key() == a.public_key());
  Secret bad = Secret::copy_of(a.secret_key().view());
  bad.data()[40] ^= 1;  // public half no longer matches the seed
  CHECK_FALSE(DeviceIdentity::from_secret(std::move(bad)).is_ok());
}
