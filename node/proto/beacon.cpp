#include "proto/beacon.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/hash.h"

namespace hearth::proto {
namespace {

constexpr std::string_view kPairKeyLabel = "hearth/pair/v1";
constexpr std::string_view kMaskLabel = "hearth/beacon/port";
constexpr std::string_view kTagLabel = "hearth/beacon/v1";

uint16_t port_mask(const Secret& pair_key, ByteView nonce) {
  const Hash32 h = crypto::blake2b_256_keyed(pair_key.view(), {as_bytes(kMaskLabel), nonce});
  return get_u16_be(h.data());
}

std::array<uint8_t, kBeaconTagBytes> beacon_tag(const Secret& pair_key, const Key32& sender,
                                                ByteView nonce, uint16_t port, int64_t window) {
  Bytes tail;
  put_u16_be(tail, port);
  put_u64_be(tail, static_cast<uint64_t>(window));
  const Hash32 h =
      crypto::blake2b_256_keyed(pair_key.view(), {as_bytes(kTagLabel), sender, nonce, tail});
  std::array<uint8_t, kBeaconTagBytes> tag{};
  std::copy_n(h.begin(), tag.size(), tag.begin());
  return tag;
}

}  // namespace

Result<Secret> derive_pair_key(const crypto::DeviceIdentity& self, const Key32& partner) {
  auto partner_x = crypto::x25519_public_from_device(partner);
  if (!partner_x) return Status::invalid("the partner's device key is not a valid key");
  const Secret own_x = self.x25519_secret();
  Secret shared(32);
  if (crypto_scalarmult(shared.data(), own_x.data(), partner_x->data()) != 0)
    return Status::auth_failed("the partner's key gives no shared secret");
  const Key32& own = self.public_key();
  const bool own_lower = own < partner;
  const Key32& lower = own_lower ? own : partner;
  const Key32& higher = own_lower ? partner : own;
  Hash32 key = crypto::blake2b_256_keyed(shared.view(), {as_bytes(kPairKeyLabel), lower, higher});
  Secret out = Secret::copy_of(ByteView(key));
  wipe(key);
  return out;
}

int64_t beacon_window(int64_t unix_seconds) {
  // Floor division, also for times before 1970.
  int64_t w = unix_seconds / kBeaconWindowSeconds;
  if (unix_seconds % kBeaconWindowSeconds < 0) --w;
  return w;
}

Bytes make_beacon(const Secret& pair_key, const Key32& sender, uint16_t port, int64_t unix_seconds,
                  const BeaconNonce& nonce) {
  Bytes out;
  out.reserve(kBeaconBytes);
  append(out, nonce);
  put_u16_be(out, static_cast<uint16_t>(port ^ port_mask(pair_key, nonce)));
  append(out, beacon_tag(pair_key, sender, nonce, port, beacon_window(unix_seconds)));
  return out;
}

Bytes make_beacon(const Secret& pair_key, const Key32& sender, uint16_t port,
                  int64_t unix_seconds) {
  BeaconNonce nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  return make_beacon(pair_key, sender, port, unix_seconds, nonce);
}

std::optional<uint16_t> BeaconReader::read(ByteView packet, int64_t unix_seconds) {
  if (packet.size() != kBeaconBytes) return std::nullopt;
  const BeaconNonce nonce = to_array<kBeaconNonceBytes>(packet.subspan(0, kBeaconNonceBytes));
  const uint16_t port = static_cast<uint16_t>(get_u16_be(packet.data() + kBeaconNonceBytes) ^
                                              port_mask(pair_key_, nonce));
  const ByteView tag = packet.subspan(kBeaconNonceBytes + 2);
  const int64_t now = beacon_window(unix_seconds);
  std::optional<int64_t> window;
  for (int64_t w : {now, now - 1, now + 1}) {
    const auto expected = beacon_tag(pair_key_, partner_, nonce, port, w);
    if (sodium_memcmp(expected.data(), tag.data(), expected.size()) == 0) window = w;
  }
  if (!window || port == 0) return std::nullopt;
  forget_before(now - 1);
  if (seen_.contains(nonce)) return std::nullopt;
  if (seen_.size() >= kMaxRemembered) {
    // Drop the oldest window's nonces; they expire soonest anyway.
    const int64_t oldest =
        std::min_element(seen_.begin(), seen_.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->second;
    forget_before(oldest + 1);
  }
  seen_.emplace(nonce, *window);
  return port;
}

void BeaconReader::forget_before(int64_t window) {
  std::erase_if(seen_, [window](const auto& entry) { return entry.second < window; });
}

}  // namespace hearth::proto
