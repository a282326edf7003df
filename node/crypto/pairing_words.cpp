#include "crypto/pairing_words.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "crypto/hash.h"

namespace hearth::crypto {
namespace {

constexpr size_t kMaxSuggestDistance = 2;
constexpr size_t kMaxSuggestions = 3;
constexpr size_t kMaxWordChars = 8;

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-'; }

// Edit distance counting insertions, deletions, substitutions and swaps of two
// adjacent letters as one step each (optimal string alignment).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// "'rivr' is not a pairing word (did you mean 'river'?)"
std::string unknown_word_message(const std::string& word) {
  std::string msg = "'" + word + "' is not a pairing word";
  if (word.size() > kMaxWordChars + kMaxSuggestDistance) return msg;
  size_t best = kMaxSuggestDistance + 1;
  std::vector<std::string_view> closest;
  for (std::string_view candidate : pairing_words()) {
    const size_t d = edit_distance(word, candidate);
    if (d < best) {
      best = d;
      closest.clear();
    }
    if (d == best && closest.size() < kMaxSuggestions) closest.push_back(candidate);
  }
  if (closest.empty()) return msg;
  msg += " (did you mean ";
  for (size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) msg += i + 1 == closest.size() ? " or " : ", ";
    msg += "'" + std::string(closest[i]) + "'";
  }
  return msg + "?)";
}

}  // namespace

std::optional<uint16_t> pairing_word_index(std::string_view word) {
  const auto& words = pairing_words();
  auto it = std::lower_bound(words.begin(), words.end(), word);
  if (it == words.end() || *it != word) return std::nullopt;
  return static_cast<uint16_t>(it - words.begin());
}

std::string make_pairing_code() {
  std::string code;
  for (size_t i = 0; i < kPairingCodeWords; ++i) {
    if (i > 0) code.push_back('-');
    code += pairing_words()[randombytes_uniform(kPairingWordCount)];
  }
  return code;
}

Result<std::string> normalize_pairing_code(std::string_view typed) {
  if (typed.size() > kMaxTypedCodeChars) {
    return Status::invalid("a pairing code is " + std::to_string(kPairingCodeWords) +
                           " words; this is too long to be one");
  }
  std::vector<std::string> words;
  bool in_word = false;
  for (char c : typed) {
    if (is_separator(c)) {
      in_word = false;
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') {
      const bool printable = c > ' ' && c < 0x7f;
      return Status::invalid(
          std::string("a pairing code has only letters a-z, separated by spaces or dashes") +
          (printable ? std::string("; '") + c + "' is not one of them" : std::string()));
    }
    if (!in_word) words.emplace_back();
    words.back().push_back(c);
    in_word = true;
  }
  if (words.size() != kPairingCodeWords) {
    return Status::invalid("a pairing code has " + std::to_string(kPairingCodeWords) +
                           " words, got " + std::to_string(words.size()));
  }
  std::string unknown;
  for (const std::string& word : words) {
    if (pairing_word_index(word)) continue;
    if (!unknown.empty()) unknown += "; ";
    unknown += unknown_word_message(word);
  }
  if (!unknown.empty()) return Status::invalid(unknown);

  std::string canonical;
  for (const std::string& word : words) {
    if (!canonical.empty()) canonical.push_back('-');
    canonical += word;
  }
  return canonical;
}

Hash32 confirmation_digest(ByteView handshake_hash) {
  return blake2b_256({as_bytes("hearth/pair-confirm/v1"), handshake_hash});
}

std::array<uint16_t, kConfirmationWords> confirmation_indices(const Hash32& digest) {
  static_assert(kConfirmationWords * kPairingWordBits <= 48, "phrase bits must fit 6 bytes");
  uint64_t bits = 0;
  for (size_t i = 0; i < 6; ++i) bits = (bits << 8) | digest[i];
  std::array<uint16_t, kConfirmationWords> out{};
  for (size_t i = 0; i < kConfirmationWords; ++i) {
    const size_t shift = 48 - kPairingWordBits * (i + 1);
    out[i] = static_cast<uint16_t>((bits >> shift) & (kPairingWordCount - 1));
  }
  return out;
}

std::string confirmation_phrase(ByteView handshake_hash) {
  std::string phrase;
  for (uint16_t index : confirmation_indices(confirmation_digest(handshake_hash))) {
    if (!phrase.empty()) phrase.push_back(' ');
    phrase += pairing_words()[index];
  }
  return phrase;
}

}  // namespace hearth::crypto
