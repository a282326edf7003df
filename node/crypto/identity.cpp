#include "crypto/identity.h"

#include <sodium.h>

#include <cstring>

#include "crypto/hash.h"
#include "util/assert.h"

namespace hearth::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr size_t kKeyChars = 52;    // ceil(256 / 5)
constexpr size_t kCheckChars = 4;   // 20 bits
constexpr size_t kGroup = 7;
constexpr size_t kIdChars = kKeyChars + kCheckChars;

std::string base32(ByteView in, size_t chars) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : in) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.size() < chars) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0 && out.size() < chars) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

int decode_char(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  switch (c) {  // look-alikes outside the alphabet
    case '0': c = 'O'; break;
    case '1': c = 'I'; break;
    case '8': c = 'B'; break;
    default: break;
  }
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

std::string checksum_chars(const Key32& key) {
  Hash32 h = blake2b_256({as_bytes("hearth/device-id/v1"), key});
  return base32(ByteView(h.data(), 3), kCheckChars);  // first 20 of 24 bits
}

}  // namespace

std::string format_device_id(const Key32& public_key) {
  std::string raw = base32(public_key, kKeyChars) + checksum_chars(public_key);
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && i % kGroup == 0) out.push_back('-');
    out.push_back(raw[i]);
  }
  return out;
}

std::string short_device_id(const Key32& public_key) {
  return format_device_id(public_key).substr(0, kGroup);
}

Result<Key32> parse_device_id(std::string_view text) {
  // Each refusal says which of three things is wrong: the length, a
  // character outside the alphabet, or check characters that do not match
  // the rest (a typo). No advice: callers add what to do next.
  std::string chars;
  size_t count = 0;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    if (decode_char(c) < 0) {
      const auto u = static_cast<unsigned char>(c);
      std::string shown;
      if (u >= 0x21 && u <= 0x7e) {
        shown = std::string("'") + c + "'";
      } else {
        static const char kHex[] = "0123456789ABCDEF";
        shown = std::string("the byte 0x") + kHex[u >> 4] + kHex[u & 15];
      }
      return Status::invalid("a device ID has only the letters A-Z and the digits 2-7; " + shown +
                             " is not one of them");
    }
    ++count;
    if (chars.size() < kIdChars) chars.push_back(c);
  }
  if (count != kIdChars) {
    return Status::invalid("a device ID has " + std::to_string(kIdChars) +
                           " characters, not counting dashes and spaces; this one has " +
                           std::to_string(count));
  }
  constexpr const char* kTypo =
      "this device ID has a typo: its check characters do not match the rest";
  Key32 key{};
  uint32_t buffer = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < kKeyChars; ++i) {
    buffer = (buffer << 5) | static_cast<uint32_t>(decode_char(chars[i]));
    bits += 5;
    if (bits >= 8) {
      if (n < key.size()) key[n++] = static_cast<uint8_t>(buffer >> (bits - 8));
      bits -= 8;
    }
  }
  // 52 * 5 = 260 bits: the last 4 bits are padding and must be zero (a
  // changed 52nd character can break that before the checksum is reached).
  if ((buffer & ((1u << bits) - 1)) != 0 || n != key.size()) return Status::invalid(kTypo);
  std::string expected = checksum_chars(key);
  for (size_t i = 0; i < kCheckChars; ++i) {
    if (decode_char(chars[kKeyChars + i]) != decode_char(expected[i])) {
      return Status::invalid(kTypo);
    }
  }
  return key;
}

DeviceIdentity DeviceIdentity::generate() {
  Key32 pk{};
  Secret sk(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(pk.data(), sk.data());
  return DeviceIdentity(pk, std::move(sk));
}

Result<DeviceIdentity> DeviceIdentity::from_secret(Secret secret_key) {
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return Status::corrupt("device secret key has the wrong length");
  }
  Key32 pk{};
  Secret seed(crypto_sign_SEEDBYTES);
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_key.data());
  Secret rebuilt(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(pk.data(), rebuilt.data(), seed.data());
  if (!rebuilt.equals(secret_key)) return Status::corrupt("device secret key is inconsistent");
  return DeviceIdentity(pk, std::move(secret_key));
}

std::array<uint8_t, kSignatureBytes> DeviceIdentity::sign(ByteView message) const {
  std::array<uint8_t, kSignatureBytes> sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

Secret DeviceIdentity::x25519_secret() const {
  Secret out(crypto_scalarmult_curve25519_BYTES);
  crypto_sign_ed25519_sk_to_curve25519(out.data(), secret_key_.data());
  return out;
}

Key32 DeviceIdentity::x25519_public() const {
  Key32 out{};
  int rc = crypto_sign_ed25519_pk_to_curve25519(out.data(), public_key_.data());
  HEARTH_ASSERT(rc == 0, "own device key is not a valid point");
  return out;
}

bool verify_signature(const Key32& public_key, ByteView message, ByteView signature) {
  if (signature.size() != kSignatureBytes) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

Result<Key32> x25519_public_from_device(const Key32& device_key) {
  Key32 out{};
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), device_key.data()) != 0) {
    return Status::invalid("device key is not a valid Ed25519 point");
  }
  return out;
}

}  // namespace hearth::crypto
