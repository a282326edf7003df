// A device's long-term identity: an Ed25519 key pair (docs/DESIGN.md §3.1).
//
// The device ID is the public key in base32 with four check characters, in
// groups of seven: 52 characters of key + 4 of checksum = 56 = 8 groups.
//   e.g. "MFRGGZD-FMZTWQ2-LK5DHMG-Q3TEMRX-HA4DSMR-ZGA2TGN-BVGQ3TE-ABCDXYZ"
// The checksum is BLAKE2b("hearth/device-id/v1" || key), first 20 bits: any
// typo is refused with probability 1 - 2^-20. The X25519 transport key is
// derived from the same key, so partners exchange one ID only.
#pragma once

#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::crypto {

inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kSignSecretBytes = 64;  // libsodium's seed || public key

std::string format_device_id(const Key32& public_key);
// Accepts lower or upper case, with or without dashes and spaces, and the
// look-alikes 0/O, 1/I, 8/B. Refuses wrong length, bad characters and a bad checksum.
Result<Key32> parse_device_id(std::string_view text);
// The first group of the ID, for compact display ("MFRGGZD").
std::string short_device_id(const Key32& public_key);

class DeviceIdentity {
 public:
  static DeviceIdentity generate();
  // secret_key: the 64-byte libsodium Ed25519 secret key. Fails if it does not
  // match itself (its embedded public key).
  static Result<DeviceIdentity> from_secret(Secret secret_key);

  const Key32& public_key() const { return public_key_; }
  const Secret& secret_key() const { return secret_key_; }
  std::string device_id() const { return format_device_id(public_key_); }

  std::array<uint8_t, kSignatureBytes> sign(ByteView message) const;
  // The X25519 key pair used by Noise (crypto_sign_ed25519_*_to_curve25519).
  Secret x25519_secret() const;
  Key32 x25519_public() const;

 private:
  DeviceIdentity(Key32 pk, Secret sk) : public_key_(pk), secret_key_(std::move(sk)) {}
  Key32 public_key_{};
  Secret secret_key_;
};

bool verify_signature(const Key32& public_key, ByteView message, ByteView signature);
// X25519 public key for a partner's Ed25519 device key; fails on an invalid point.
Result<Key32> x25519_public_from_device(const Key32& device_key);

}  // namespace hearth::crypto
