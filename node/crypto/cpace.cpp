#include "crypto/cpace.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "util/assert.h"

namespace hearth::crypto::cpace {
namespace {

// LEB128 of a size_t is at most ceil(64 / 7) = 10 bytes.
constexpr size_t kMaxLeb128Bytes = 10;

// Writes the LEB128 encoding of n (7 bits per byte, least significant first, bit 7
// set while more follow) to out; returns the number of bytes written.
size_t write_leb128(size_t n, uint8_t* out) {
  size_t i = 0;
  while (n >= 0x80) {
    out[i++] = static_cast<uint8_t>(0x80 | (n & 0x7f));
    n >>= 7;
  }
  out[i++] = static_cast<uint8_t>(n);
  return i;
}

size_t leb128_size(size_t n) {
  uint8_t scratch[kMaxLeb128Bytes];
  return write_leb128(n, scratch);
}

size_t prepended_size(size_t n) { return leb128_size(n) + n; }

// Appends prepend_len(part) to a buffer with room for it; returns the new end.
uint8_t* write_prepended(uint8_t* out, ByteView part) {
  out += write_leb128(part.size(), out);
  if (!part.empty()) std::memcpy(out, part.data(), part.size());
  return out + part.size();
}

// SHA-512 fed piece by piece, so secret inputs (PRS, K) are never concatenated
// into a heap buffer. The state is wiped on destruction.
class Sha512 {
 public:
  Sha512() { crypto_hash_sha512_init(&state_); }
  ~Sha512() { sodium_memzero(&state_, sizeof state_); }
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;

  void update(ByteView data) {
    if (!data.empty()) crypto_hash_sha512_update(&state_, data.data(), data.size());
  }
  void update(std::string_view text) { update(as_bytes(text)); }
  void update_prepended(ByteView data) {
    uint8_t len[kMaxLeb128Bytes];
    update(ByteView(len, write_leb128(data.size(), len)));
    update(data);
  }
  void finish(uint8_t* out) { crypto_hash_sha512_final(&state_, out); }

 private:
  crypto_hash_sha512_state state_;
};

SidOutput sid_output(ByteView transcript) {
  Sha512 h;
  h.update(kSidOutputPrefix);
  h.update(transcript);
  SidOutput out{};
  h.finish(out.data());
  return out;
}

Result<Share> make_share(ByteView prs, ByteView ci, ByteView sid, Secret scalar) {
  HEARTH_ASSIGN_OR_RETURN(Secret g, calculate_generator(prs, ci, sid));
  Share share{std::move(scalar), {}};
  if (crypto_scalarmult_ristretto255(share.y_public.data(), share.scalar.data(), g.data()) != 0) {
    return Status::invalid("CPace scalar is zero modulo the group order");
  }
  return share;
}

// ISK = H(lv_cat(DSI || "_ISK", sid, K) || transcript), after K = y * Y_peer is checked.
Result<Secret> derive_isk(const Share& mine, ByteView y_peer, ByteView sid, ByteView transcript) {
  HEARTH_ASSIGN_OR_RETURN(Secret k, scalar_mult_vfy(mine.scalar, y_peer));
  Sha512 h;
  h.update_prepended(as_bytes(kDsiIsk));
  h.update_prepended(sid);
  h.update_prepended(k.view());
  h.update(transcript);
  Secret isk(kIskBytes);
  h.finish(isk.data());
  return isk;
}

Status check_peer_share(ByteView y_peer) {
  if (y_peer.size() != kPointBytes) {
    return Status::corrupt("a CPace share is " + std::to_string(kPointBytes) + " bytes, got " +
                           std::to_string(y_peer.size()));
  }
  return Status::ok();
}

}  // namespace

Bytes prepend_len(ByteView data) {
  Bytes out(prepended_size(data.size()));
  write_prepended(out.data(), data);
  return out;
}

Bytes lv_cat(std::initializer_list<ByteView> parts) {
  size_t total = 0;
  for (ByteView part : parts) total += prepended_size(part.size());
  Bytes out(total);
  uint8_t* p = out.data();
  for (ByteView part : parts) p = write_prepended(p, part);
  return out;
}

Bytes o_cat(ByteView a, ByteView b) {
  const bool a_larger = std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
  Bytes out;
  out.reserve(2 + a.size() + b.size());
  append(out, std::string_view("oc"));
  append(out, a_larger ? a : b);
  append(out, a_larger ? b : a);
  return out;
}

Bytes transcript_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  return lv_cat({ya, ad_a, yb, ad_b});
}

Bytes transcript_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  return o_cat(lv_cat({ya, ad_a}), lv_cat({yb, ad_b}));
}

size_t zero_pad_length(size_t prs_size) {
  const size_t used = prepended_size(prs_size) + prepended_size(kDsi.size()) + 1;
  return used >= kHashBlockBytes ? 0 : kHashBlockBytes - used;
}

Secret generator_string(ByteView prs, ByteView ci, ByteView sid) {
  const size_t zpad = zero_pad_length(prs.size());
  const ByteView dsi = as_bytes(kDsi);
  Secret out(prepended_size(dsi.size()) + prepended_size(prs.size()) + prepended_size(zpad) +
             prepended_size(ci.size()) + prepended_size(sid.size()));
  uint8_t* p = out.data();
  p = write_prepended(p, dsi);
  p = write_prepended(p, prs);
  p += write_leb128(zpad, p);
  p += zpad;  // Secret(size) is zero-filled
  p = write_prepended(p, ci);
  p = write_prepended(p, sid);
  HEARTH_ASSERT(p == out.data() + out.size(), "generator_string size mismatch");
  return out;
}

Result<Secret> calculate_generator(ByteView prs, ByteView ci, ByteView sid) {
  Secret hash(crypto_hash_sha512_BYTES);
  {
    Secret gen_str = generator_string(prs, ci, sid);
    Sha512 h;
    h.update(gen_str.view());
    h.finish(hash.data());
  }
  static_assert(crypto_core_ristretto255_HASHBYTES == crypto_hash_sha512_BYTES);
  Secret g(kPointBytes);
  if (crypto_core_ristretto255_from_hash(g.data(), hash.data()) != 0 ||
      sodium_is_zero(g.data(), g.size())) {
    return Status::internal("CPace generator is the identity element");
  }
  return g;
}

Result<Share> start(ByteView prs, ByteView ci, ByteView sid) {
  Secret scalar(kScalarBytes);
  crypto_core_ristretto255_scalar_random(scalar.data());
  return make_share(prs, ci, sid, std::move(scalar));
}

Result<Share> start_with_scalar(ByteView prs, ByteView ci, ByteView sid, ByteView scalar) {
  if (scalar.size() != kScalarBytes) {
    return Status::invalid("a CPace scalar is " + std::to_string(kScalarBytes) + " bytes");
  }
  return make_share(prs, ci, sid, Secret::copy_of(scalar));
}

Result<Secret> scalar_mult_vfy(const Secret& scalar, ByteView point) {
  if (scalar.size() != kScalarBytes) {
    return Status::invalid("a CPace scalar is " + std::to_string(kScalarBytes) + " bytes");
  }
  HEARTH_TRY(check_peer_share(point));
  // RFC 9496 decoding fails for any s >= p, so for bit 255 set; libsodium 1.0.18
  // checks s < p only below 2^255 and would decode such a string as s - 2^255.
  const bool high_bit = (point[kPointBytes - 1] & 0x80) != 0;
  Secret k(kPointBytes);
  // libsodium returns -1 both when the point does not decode and when the product
  // is the identity: exactly the two conditions under which CPace must abort.
  if (high_bit || crypto_scalarmult_ristretto255(k.data(), scalar.data(), point.data()) != 0) {
    return Status::auth_failed("the peer's CPace share is not a valid group element");
  }
  return k;
}

Result<Secret> isk_initiator_responder(const Share& mine, Role role, ByteView ad_mine,
                                       ByteView y_peer, ByteView ad_peer, ByteView sid) {
  HEARTH_ASSERT(mine.scalar.size() == kScalarBytes, "CPace share used after move");
  HEARTH_TRY(check_peer_share(y_peer));
  const Bytes transcript = role == Role::kInitiator
                               ? transcript_ir(mine.y_public, ad_mine, y_peer, ad_peer)
                               : transcript_ir(y_peer, ad_peer, mine.y_public, ad_mine);
  return derive_isk(mine, y_peer, sid, transcript);
}

Result<Secret> isk_symmetric(const Share& mine, ByteView ad_mine, ByteView y_peer, ByteView ad_peer,
                             ByteView sid) {
  HEARTH_ASSERT(mine.scalar.size() == kScalarBytes, "CPace share used after move");
  HEARTH_TRY(check_peer_share(y_peer));
  return derive_isk(mine, y_peer, sid, transcript_oc(mine.y_public, ad_mine, y_peer, ad_peer));
}

SidOutput sid_output_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  return sid_output(transcript_ir(ya, ad_a, yb, ad_b));
}

SidOutput sid_output_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  return sid_output(transcript_oc(ya, ad_a, yb, ad_b));
}

}  // namespace hearth::crypto::cpace
