// Pairing codes and confirmation phrases (docs/DESIGN.md §7.1), over a fixed list of
// 2048 words, so each word carries 11 bits.
//
// The list is schema/pairing-words.txt, one word per line in ascending order
// (schema/PROTOCOL.md §5.2); the build checks it and compiles it in
// (crypto/embed_words.cmake). The list and its order are part of the pairing
// protocol: both partners must have the same list, so never edit, reorder or
// extend it; a different list needs a new protocol version. How the words
// were chosen: lower case a-z only, 3 to 8 letters, in everyday use; none is
// the plural or the -y/-er/-ing form of another; no homophones of common words
// (pear/pair, tail/tale) and no two pronounced alike in US or British English;
// no British/American spelling variants; nothing about violence, death, abuse,
// illness, sex, the body, money, religion or judgements of character: partners
// who may be healing from trauma read these aloud to each other.
//
// Pairing code: kPairingCodeWords random words joined by '-', e.g.
// "maple-river-otter": 3 x 11 = 33 bits. The code is the CPace password; an
// attacker gets at most 3 online guesses per invite (the code is valid for 10
// minutes and 3 attempts), so the chance of guessing it is 3 / 2^33, about 1 in
// 2.9 billion. The canonical form (lower case, '-' between words) is what both
// sides use as the CPace PRS, whatever the partner typed.
//
// Confirmation phrase: kConfirmationWords words, 44 bits, that both sides print
// after pairing so the partners can compare them aloud.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/status.h"

namespace hearth::crypto {

inline constexpr size_t kPairingWordCount = 2048;  // 2^11
inline constexpr size_t kPairingWordBits = 11;
inline constexpr size_t kPairingCodeWords = 3;   // 33 bits
inline constexpr size_t kConfirmationWords = 4;  // 44 bits
// Longest input normalize_pairing_code() looks at: three 8-letter words with
// generous spacing fit many times over; anything longer is refused unread.
inline constexpr size_t kMaxTypedCodeChars = 256;

// The list in ascending order; index i stands for the 11-bit value i. Its
// definition is generated from schema/pairing-words.txt at build time.
const std::array<std::string_view, kPairingWordCount>& pairing_words();

// The index of an exact (lower-case) list word.
std::optional<uint16_t> pairing_word_index(std::string_view word);

// A fresh random code (randombytes_uniform), in canonical form.
std::string make_pairing_code();

// Accepts a code as a person may type it: words separated by any mix of spaces,
// tabs and '-', in any case, with leading and trailing space. Returns the canonical
// form, or kInvalidArgument saying what is wrong: a character that is not a letter
// or separator, the wrong number of words, or a word not in the list (named, with
// the closest list words within edit distance 2 suggested).
Result<std::string> normalize_pairing_code(std::string_view typed);

// c = BLAKE2b-256("hearth/pair-confirm/v1" || handshake_hash), whose first 44
// bits give the confirmation phrase.
Hash32 confirmation_digest(ByteView handshake_hash);
// The list indices of the phrase's words: c's first 6 bytes read as a 48-bit
// big-endian integer b, word i the 11 bits (b >> (48 - 11 (i + 1))) & 2047, so
// the first word is the top 11 bits; the last 4 bits are not used.
std::array<uint16_t, kConfirmationWords> confirmation_indices(const Hash32& digest);
// kConfirmationWords words joined by ' ': the words of confirmation_indices() of
// confirmation_digest(handshake_hash). Deterministic, so both sides print the
// same phrase for the same handshake hash.
std::string confirmation_phrase(ByteView handshake_hash);

}  // namespace hearth::crypto
