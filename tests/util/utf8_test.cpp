// util/utf8.h: the one UTF-8 check, cut and decoder of the daemon and the CLI.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

#include "util/utf8.h"

using namespace hearth;

namespace {

// A decoder written from RFC 3629 §3-4 alone: the reference.
bool reference_valid(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1, cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

}  // namespace

TEST_CASE("is_valid_utf8 agrees with a reference decoder on every string of up to 3 bytes") {
  std::string s;
  size_t disagreements = 0;
  for (int a = 0; a < 256; ++a) {
    s.assign(1, static_cast<char>(a));
    disagreements += is_valid_utf8(s) != reference_valid(s);
    for (int b = 0; b < 256; ++b) {
      s.assign({static_cast<char>(a), static_cast<char>(b)});
      disagreements += is_valid_utf8(s) != reference_valid(s);
      for (int c = 0; c < 256; ++c) {
        s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        disagreements += is_valid_utf8(s) != reference_valid(s);
      }
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("is_valid_utf8 agrees with a reference decoder on random and long strings") {
  std::mt19937 rng(7);
  const char* pieces[] = {"a", "é", "€", "𝄞", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF", "\x80",
                          "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8", "\0"};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) {
      if (rng() % 3 == 0) {
        s.push_back(static_cast<char>(rng() % 256));
      } else {
        const char* p = pieces[rng() % std::size(pieces)];
        s.append(p, p[0] == '\0' ? 1 : std::char_traits<char>::length(p));
      }
    }
    CAPTURE(s);
    CHECK(is_valid_utf8(s) == reference_valid(s));
  }
}

TEST_CASE("utf8_prefix cuts only between characters, and as late as it can") {
  const std::string text = "aé€𝄞b";  // 1 + 2 + 3 + 4 + 1 bytes
  const size_t expected[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 11, 11};
  for (size_t max = 0; max <= 12; ++max) {
    CAPTURE(max);
    const std::string_view cut = utf8_prefix(text, max);
    CHECK(cut.size() == expected[max]);
    CHECK(is_valid_utf8(cut));
  }
}

TEST_CASE("utf8_sequence_length reads one character, and 0 where none starts") {
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("é", 0) == 2);
  CHECK(utf8_sequence_length("€", 0) == 3);
  CHECK(utf8_sequence_length("𝄞", 0) == 4);
  CHECK(utf8_sequence_length("é", 1) == 0);             // a continuation byte
  CHECK(utf8_sequence_length("\xC0\xAF", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);  // a surrogate
  CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);      // cut short
  CHECK(utf8_sequence_length("a", 1) == 0);             // past the end
}

TEST_CASE("utf8_code_points counts characters, not bytes") {
  CHECK(hearth::utf8_code_points("") == 0);
  CHECK(hearth::utf8_code_points("abc") == 3);
  CHECK(hearth::utf8_code_points("h\xC3\xA9" "llo") == 5);             // é
  CHECK(hearth::utf8_code_points("\xE2\x9D\xA4\xF0\x9F\x8C\xBF") == 2);  // ❤ and 🌿
}
