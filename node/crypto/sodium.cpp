#include "crypto/sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace hearth::crypto {

void sodium_ready() {
  if (sodium_init() < 0) {
    std::fputs("hearth: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

}  // namespace hearth::crypto
