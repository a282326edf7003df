#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "crypto/sodium.h"

int main(int argc, char** argv) {
  hearth::crypto::sodium_ready();
  doctest::Context context(argc, argv);
  return context.run();
}
