// LAN discovery beacons and the pair key that keys them (schema/PROTOCOL.md §5.3).
//
// A beacon is 34 bytes of UDP payload:
//
//   nonce (16 random) || port (2, BE) XOR mask || tag (16)
//   mask = BLAKE2b-256(key = pair_key, "hearth/beacon/port" || nonce)[0..2]
//   tag  = BLAKE2b-256(key = pair_key, "hearth/beacon/v1" || sender device key ||
//                      nonce || port (2, BE) || window (8, BE))[0..16]
//   window = floor(unix seconds / 60)
//
// Without the pair key every byte looks random and changes with every
// beacon. The sender's device key in the tag makes a beacon one-way: a
// daemon that hears its own broadcast does not take it for its partner's.
// No clock is read here: callers pass the time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>

#include "crypto/identity.h"
#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::proto {

inline constexpr size_t kBeaconNonceBytes = 16;
inline constexpr size_t kBeaconTagBytes = 16;
inline constexpr size_t kBeaconBytes = kBeaconNonceBytes + 2 + kBeaconTagBytes;  // 34
inline constexpr int64_t kBeaconWindowSeconds = 60;

using BeaconNonce = std::array<uint8_t, kBeaconNonceBytes>;

// pair_key = BLAKE2b-256(key = X25519(own transport secret, partner's
// transport public), "hearth/pair/v1" || lower device key || higher device
// key), device keys compared as byte strings. Both partners derive the same
// key; it is never sent. kInvalidArgument: `partner` is not a valid device
// key; kAuthFailed: the X25519 result is all zeros.
Result<Secret> derive_pair_key(const crypto::DeviceIdentity& self, const Key32& partner);

int64_t beacon_window(int64_t unix_seconds);

// A beacon from `sender` announcing TCP `port` at `unix_seconds`.
Bytes make_beacon(const Secret& pair_key, const Key32& sender, uint16_t port, int64_t unix_seconds,
                  const BeaconNonce& nonce);
// The same with a fresh random nonce.
Bytes make_beacon(const Secret& pair_key, const Key32& sender, uint16_t port, int64_t unix_seconds);

// Recognises the partner's beacons and refuses replays.
class BeaconReader {
 public:
  // Remembered nonces beyond this are dropped oldest window first. Only
  // beacons with a valid tag are remembered, so only the partner's device
  // (or replays of what it sent) can fill the memory.
  static constexpr size_t kMaxRemembered = 4096;

  BeaconReader(Secret pair_key, const Key32& partner)
      : pair_key_(std::move(pair_key)), partner_(partner) {}

  // The TCP port the partner's device announced, or nullopt when the beacon
  // is to be ignored: not kBeaconBytes long; a tag that does not verify from
  // the partner for the current window or one either side of it (another
  // pair's beacon, an old one, this device's own); a nonce already seen
  // within those windows (a replay); or port 0.
  std::optional<uint16_t> read(ByteView packet, int64_t unix_seconds);
  size_t remembered() const { return seen_.size(); }

 private:
  void forget_before(int64_t window);
  Secret pair_key_;
  Key32 partner_;
  std::map<BeaconNonce, int64_t> seen_;  // nonce -> the window its tag verified for
};

}  // namespace hearth::proto
