// Naming the closest valid words for a mistyped command or option.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::client {

// The number of single-character insertions, deletions, substitutions and
// swaps of two neighbouring characters that turn `a` into `b` (the optimal
// string alignment distance), comparing bytes without regard to ASCII case.
size_t edit_distance(std::string_view a, std::string_view b);

// At most `limit` of `candidates` close to `typed`, closest first (ties keep
// the order of `candidates`). Close means within an edit distance that grows
// with the length of `typed` (1 up to 4 characters, 2 up to 8, then 3), or
// starting with `typed` when it has at least 2 characters. Exact matches are
// not suggested. Empty when nothing is close.
std::vector<std::string> closest_words(std::string_view typed,
                                       const std::vector<std::string>& candidates,
                                       size_t limit = 3);

// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string quoted_choices(const std::vector<std::string>& words);

// What the command line got wrong, for a person. `command` is the command
// the mistake was made in, as typed: "hearth" or "hearth reflect". Each
// message ends by naming the `hearth help ...` that shows what is valid.

// `typed` where one of `commands` was expected: names the closest ones, or
// else lists them all.
std::string unknown_command_message(std::string_view typed, std::string_view command,
                                    const std::vector<std::string>& commands);
// `typed` (with its leading dashes) is not one of `options`.
std::string unknown_option_message(std::string_view typed, std::string_view command,
                                   const std::vector<std::string>& options);
// `command` needs one of `commands` after it and got none.
std::string missing_command_message(std::string_view command,
                                    const std::vector<std::string>& commands);
// `words`, in the order given, were not expected after `command`.
std::string unexpected_words_message(std::string_view command,
                                     const std::vector<std::string>& words);

}  // namespace hearth::client
