// XChaCha20-Poly1305 with a random 24-byte nonce, for data at rest and event bodies.
//
// Sealed layout: nonce (24) || ciphertext || tag (16). A random nonce is safe
// with XChaCha20's 192-bit nonce space for any number of messages we will write.
#pragma once

#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::crypto {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 24;
inline constexpr size_t kAeadTagBytes = 16;
inline constexpr size_t kAeadOverhead = kAeadNonceBytes + kAeadTagBytes;

// key must be kAeadKeyBytes long.
Bytes seal(const Secret& key, ByteView plaintext, ByteView ad);
// The same with a given nonce (kAeadNonceBytes): for known-answer vectors
// only; everything Hearth writes uses seal()'s random nonce.
Bytes seal_with_nonce(const Secret& key, ByteView nonce, ByteView plaintext, ByteView ad);
// Fails with kAuthFailed if the key, the AD or any byte is wrong; kCorrupt if too short.
// The plaintext is a transient Secret (wiped, not locked): copy keys out of it
// into their own Secret.
Result<Secret> open(const Secret& key, ByteView sealed, ByteView ad);

}  // namespace hearth::crypto
