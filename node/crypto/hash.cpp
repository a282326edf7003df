#include "crypto/hash.h"

#include <sodium.h>

#include "util/assert.h"

namespace hearth::crypto {
namespace {
Hash32 hash_parts(ByteView key, std::initializer_list<ByteView> parts) {
  crypto_generichash_state st;
  HEARTH_ASSERT(key.empty() || (key.size() >= crypto_generichash_KEYBYTES_MIN &&
                                key.size() <= crypto_generichash_KEYBYTES_MAX),
                "bad BLAKE2b key size");
  crypto_generichash_init(&st, key.empty() ? nullptr : key.data(), key.size(), 32);
  for (ByteView p : parts) crypto_generichash_update(&st, p.data(), p.size());
  Hash32 out{};
  crypto_generichash_final(&st, out.data(), out.size());
  sodium_memzero(&st, sizeof st);
  return out;
}
}  // namespace

Hash32 blake2b_256(std::initializer_list<ByteView> parts) { return hash_parts({}, parts); }

Hash32 blake2b_256_keyed(ByteView key, std::initializer_list<ByteView> parts) {
  return hash_parts(key, parts);
}

}  // namespace hearth::crypto
