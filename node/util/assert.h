// HEARTH_ASSERT: for bugs only, never for validating input (use Status).
#pragma once

namespace hearth::detail {
[[noreturn]] void assert_failed(const char* expr, const char* file, int line, const char* msg);
}

#define HEARTH_ASSERT(cond, msg)                                              \
  do {                                                                        \
    if (!(cond)) ::hearth::detail::assert_failed(#cond, __FILE__, __LINE__, msg); \
  } while (0)
