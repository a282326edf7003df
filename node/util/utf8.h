// UTF-8, in one place: what the daemon accepts, how a text is cut to a
// limit, and how the CLI walks a text it shows. Everything a person writes
// is valid UTF-8 without NUL (schema/PROTOCOL.md §2.3); a text is cut only
// between characters.
#pragma once

#include <cstddef>
#include <string_view>

namespace hearth {

// Whether `text` is valid UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF) and holds no NUL.
bool is_valid_utf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` of at most `max_bytes`, never
// cutting a character in two.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

// The length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 if
// none starts there (a stray continuation byte, an overlong form, a
// surrogate, a truncated sequence) or i is past the end. NUL counts as a
// one-byte sequence here: the CLI's renderers decide what to show for it.
size_t utf8_sequence_length(std::string_view s, size_t i);

// The number of characters in `s`: the bytes that do not continue a
// sequence (10xxxxxx). Exact for valid UTF-8; for anything else, a count the
// CLI may still use to size a line or a mask.
size_t utf8_code_points(std::string_view s);

}  // namespace hearth
