#include "util/assert.h"

#include <cstdio>
#include <cstdlib>

namespace hearth::detail {

void assert_failed(const char* expr, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "hearth: assertion failed at %s:%d: %s (%s)\n", file, line, expr, msg);
  std::abort();
}

}  // namespace hearth::detail
