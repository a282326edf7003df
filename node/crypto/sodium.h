// libsodium initialisation. Every entry point (hearthd, hearth, tests) calls
// sodium_ready() before any other crypto; it is idempotent and thread-safe.
#pragma once

namespace hearth::crypto {
void sodium_ready();
}
