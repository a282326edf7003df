#include "util/utf8.h"

#include <cstdint>
#include <cstring>

namespace hearth {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  while (i < text.size()) {
    // Eight ASCII bytes at a time, none of them NUL: the common case.
    if (i + 8 <= text.size()) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      constexpr uint64_t kLow = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
      if (((w | ((w - kLow) & ~w)) & kHigh) == 0) {
        i += 8;
        continue;
      }
    }
    if (s[i] == 0) return false;
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to a character's start.
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto at = [&](size_t k) -> unsigned char {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (i >= s.size()) return 0;
  const unsigned char c = at(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return is_continuation(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char c1 = at(1);
    if (c == 0xE0 && (c1 < 0xA0 || c1 > 0xBF)) return 0;  // overlong
    if (c == 0xED && (c1 < 0x80 || c1 > 0x9F)) return 0;  // surrogates
    return is_continuation(c1) && is_continuation(at(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char c1 = at(1);
    if (c == 0xF0 && (c1 < 0x90 || c1 > 0xBF)) return 0;  // overlong
    if (c == 0xF4 && (c1 < 0x80 || c1 > 0x8F)) return 0;  // above U+10FFFF
    return is_continuation(c1) && is_continuation(at(2)) && is_continuation(at(3)) ? 4 : 0;
  }
  return 0;
}

size_t utf8_code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace hearth
