#include "crypto/aead.h"

#include <sodium.h>

#include <algorithm>

#include "util/assert.h"

namespace hearth::crypto {

static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagBytes);

Bytes seal(const Secret& key, ByteView plaintext, ByteView ad) {
  uint8_t nonce[kAeadNonceBytes];
  randombytes_buf(nonce, sizeof nonce);
  return seal_with_nonce(key, ByteView(nonce, sizeof nonce), plaintext, ad);
}

Bytes seal_with_nonce(const Secret& key, ByteView nonce, ByteView plaintext, ByteView ad) {
  HEARTH_ASSERT(key.size() == kAeadKeyBytes, "AEAD key must be 32 bytes");
  HEARTH_ASSERT(nonce.size() == kAeadNonceBytes, "AEAD nonce must be 24 bytes");
  Bytes out(kAeadNonceBytes + plaintext.size() + kAeadTagBytes);
  std::copy(nonce.begin(), nonce.end(), out.begin());
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kAeadNonceBytes, &written,
                                             plaintext.data(), plaintext.size(), ad.data(),
                                             ad.size(), nullptr, out.data(), key.data());
  HEARTH_ASSERT(written == plaintext.size() + kAeadTagBytes, "AEAD length");
  return out;
}

Result<Secret> open(const Secret& key, ByteView sealed, ByteView ad) {
  HEARTH_ASSERT(key.size() == kAeadKeyBytes, "AEAD key must be 32 bytes");
  if (sealed.size() < kAeadOverhead) return Status::corrupt("sealed data is too short");
  Secret plain = Secret::transient(sealed.size() - kAeadOverhead);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), &written, nullptr, sealed.data() + kAeadNonceBytes,
          sealed.size() - kAeadNonceBytes, ad.data(), ad.size(), sealed.data(),
          key.data()) != 0) {
    return Status::auth_failed("decryption failed: wrong key or altered data");
  }
  return plain;
}

}  // namespace hearth::crypto
