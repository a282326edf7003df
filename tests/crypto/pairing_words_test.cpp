#include "crypto/pairing_words.h"

#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/hash.h"

using namespace hearth;
using namespace hearth::crypto;

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == sep) {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

bool is_list_word(const std::string& word) { return pairing_word_index(word).has_value(); }

}  // namespace

TEST_CASE("the word list has 2048 distinct sorted lower-case words of 3 to 8 letters") {
  const auto& words = pairing_words();
  REQUIRE(words.size() == 2048);
  std::set<std::string_view> distinct(words.begin(), words.end());
  CHECK(distinct.size() == 2048);
  int well_formed = 0;
  for (std::string_view w : words) {
    INFO(w);
    const bool letters =
        std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    CHECK(letters);
    CHECK(w.size() >= 3);
    CHECK(w.size() <= 8);
    if (letters && w.size() >= 3 && w.size() <= 8) ++well_formed;
  }
  CHECK(well_formed == 2048);
  // Strictly ascending: pairing_word_index() relies on it.
  CHECK(std::adjacent_find(words.begin(), words.end(), [](std::string_view a, std::string_view b) {
          return a >= b;
        }) == words.end());
}

TEST_CASE("the word list is the fixed one: its digest and ends are pinned") {
  // The list is part of the pairing protocol; changing it changes every phrase.
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  for (std::string_view w : pairing_words()) {
    crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(w.data()), w.size());
    crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>("\n"), 1);
  }
  Hash32 digest{};
  crypto_generichash_final(&st, digest.data(), digest.size());
  CHECK(to_hex(digest) == "930f9188158a3706d7227d854186813b40c18a166e1c57361d543de70f54edcb");
  CHECK(pairing_words().front() == "aardvark");
  CHECK(pairing_words().back() == "zoology");
}

TEST_CASE("the compiled word list is schema/pairing-words.txt, word for word and in order") {
  // The build generates pairing_words() from the file (crypto/embed_words.cmake).
  std::ifstream in(std::string(HEARTH_SCHEMA_DIR) + "/pairing-words.txt", std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines = split(text.str(), '\n');
  REQUIRE(lines.back().empty());  // the last line ends in a newline
  lines.pop_back();
  const auto& words = pairing_words();
  REQUIRE(lines.size() == words.size());
  size_t same = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(lines[i] == words[i]);
    if (lines[i] == words[i]) ++same;
  }
  CHECK(same == kPairingWordCount);
}

TEST_CASE("every list word maps to its index and other strings to none") {
  const auto& words = pairing_words();
  for (size_t i = 0; i < words.size(); ++i) {
    auto index = pairing_word_index(words[i]);
    REQUIRE(index.has_value());
    CHECK(*index == i);
  }
  CHECK_FALSE(pairing_word_index("").has_value());
  CHECK_FALSE(pairing_word_index("Maple").has_value());
  CHECK_FALSE(pairing_word_index("zzzzzz").has_value());
  CHECK_FALSE(pairing_word_index("aaa").has_value());
}

TEST_CASE("a pairing code is three list words and normalises back to itself") {
  for (int i = 0; i < 200; ++i) {
    const std::string code = make_pairing_code();
    INFO(code);
    const auto parts = split(code, '-');
    REQUIRE(parts.size() == kPairingCodeWords);
    for (const auto& part : parts) CHECK(is_list_word(part));
    auto normalized = normalize_pairing_code(code);
    REQUIRE(normalized.is_ok());
    CHECK(*normalized == code);
  }
}

TEST_CASE("pairing codes carry at least 30 bits and do not repeat") {
  CHECK(kPairingCodeWords * kPairingWordBits >= 30);
  CHECK((size_t{1} << kPairingWordBits) == kPairingWordCount);
  std::set<std::string> codes;
  for (int i = 0; i < 200; ++i) codes.insert(make_pairing_code());
  // 200 draws from 2^33: a repeat has probability ~2e-6.
  CHECK(codes.size() == 200);
}

TEST_CASE("normalisation accepts spaces, dashes and mixed case") {
  SUBCASE("spaces and capitals") {
    auto n = normalize_pairing_code("  Maple RIVER  otter ");
    REQUIRE(n.is_ok());
    CHECK(*n == "maple-river-otter");
  }
  SUBCASE("dashes, tabs and a trailing newline") {
    auto n = normalize_pairing_code("MAPLE--river\t-Otter\n");
    REQUIRE(n.is_ok());
    CHECK(*n == "maple-river-otter");
  }
}

TEST_CASE("an unknown word is refused, named, with the closest list word suggested") {
  auto n = normalize_pairing_code("maple rivr otter");
  REQUIRE_FALSE(n.is_ok());
  CHECK(n.status().code() == Code::kInvalidArgument);
  const std::string msg = n.status().message();
  CHECK(msg.find("'rivr'") != std::string::npos);
  CHECK(msg.find("'river'") != std::string::npos);

  SUBCASE("a swap of two letters is one step") {
    auto swapped = normalize_pairing_code("mapel river otter");
    REQUIRE_FALSE(swapped.is_ok());
    CHECK(swapped.status().message().find("did you mean 'maple'") != std::string::npos);
  }
  SUBCASE("nothing is suggested for a word far from every list word") {
    auto far = normalize_pairing_code("maple qqqqqqq otter");
    REQUIRE_FALSE(far.is_ok());
    CHECK(far.status().message().find("'qqqqqqq'") != std::string::npos);
    CHECK(far.status().message().find("did you mean") == std::string::npos);
  }
  SUBCASE("every unknown word is named") {
    auto two = normalize_pairing_code("mapel rivr otter");
    REQUIRE_FALSE(two.is_ok());
    CHECK(two.status().message().find("'mapel'") != std::string::npos);
    CHECK(two.status().message().find("'rivr'") != std::string::npos);
  }
}

TEST_CASE("a code with the wrong number of words or stray characters is refused") {
  for (const char* bad : {"", "   ", "maple river", "maple river otter cloud", "maple-river-42",
                          "maple river otter!", "maple river \xc3\xb6tter"}) {
    INFO(bad);
    auto n = normalize_pairing_code(bad);
    CHECK_FALSE(n.is_ok());
    CHECK(n.status().code() == Code::kInvalidArgument);
  }
  CHECK(normalize_pairing_code("maple river").status().message().find("3 words, got 2") !=
        std::string::npos);
  CHECK_FALSE(normalize_pairing_code(std::string(kMaxTypedCodeChars + 1, ' ')).is_ok());
}

TEST_CASE("the confirmation phrase is four list words, deterministic and pinned") {
  const Hash32 zero{};
  const std::string phrase = confirmation_phrase(zero);
  CHECK(phrase == confirmation_phrase(zero));
  CHECK(phrase == "quartet grove rhino eagle");
  const auto words = split(phrase, ' ');
  REQUIRE(words.size() == kConfirmationWords);
  for (const auto& w : words) CHECK(is_list_word(w));
}

TEST_CASE("different handshake hashes give different confirmation phrases") {
  Hash32 h{};
  randombytes_buf(h.data(), h.size());
  const std::string base = confirmation_phrase(h);
  Hash32 flipped = h;
  flipped[31] ^= 1;
  CHECK(confirmation_phrase(flipped) != base);

  std::set<std::string> phrases;
  for (int i = 0; i < 500; ++i) {
    randombytes_buf(h.data(), h.size());
    phrases.insert(confirmation_phrase(h));
  }
  // 500 draws from 2^44: a repeat has probability ~7e-9.
  CHECK(phrases.size() == 500);
}
