// BLAKE2b-256, plain and keyed, over one or more concatenated parts.
#pragma once

#include <initializer_list>

#include "util/bytes.h"

namespace hearth::crypto {

Hash32 blake2b_256(std::initializer_list<ByteView> parts);
inline Hash32 blake2b_256(ByteView data) { return blake2b_256({data}); }
// Keyed BLAKE2b (a MAC/KDF in its own right; it is *not* HMAC). key: 16..64 bytes.
Hash32 blake2b_256_keyed(ByteView key, std::initializer_list<ByteView> parts);

}  // namespace hearth::crypto
