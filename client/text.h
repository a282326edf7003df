// Text helpers for what the CLI prints: UTF-8 checks, terminal safety, ids.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"

#include "util/utf8.h"

namespace hearth::client {

// utf8_sequence_length (util/utf8.h) walks the text: one decoder for the
// daemon and the CLI.
using hearth::utf8_sequence_length;

// Text from the daemon (and so from the partner's device) made safe to write
// to a terminal: C0 and C1 control characters other than newline and tab, DEL
// and invalid UTF-8 are shown as U+FFFD, so no escape sequence can reach the
// terminal. Newlines are dropped too when `keep_newlines` is false.
std::string terminal_safe(std::string_view s, bool keep_newlines = true);

// Each line of `s` prefixed with `prefix` (terminal_safe applied).
std::string indent_lines(std::string_view s, std::string_view prefix);

// Leading and trailing spaces, tabs, CR and LF removed.
std::string_view trim(std::string_view s);

std::string join(const std::vector<std::string>& items, std::string_view sep);

// The part of an id that humans see and type back. Entry ids (16 bytes)
// begin with their creation time (crypto/entity_id.h) and end with 10 random
// bytes: their short form is the last 8 hex characters. Other ids (event
// hashes) are random throughout: their first 8. The daemon accepts a short
// form, the full id, or any unique start or end of it.
std::string short_id(ByteView id);

// "1 reflection" / "3 reflections".
std::string count_of(uint64_t n, std::string_view singular, std::string_view plural);

}  // namespace hearth::client
