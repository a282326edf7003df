// Checking what the user typed, before anything is sent to hearthd.
//
// Each parser returns the normalised value or kInvalidArgument with a message
// that says what was expected (the CLI shows it and exits 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "client/control_codec.h"
#include "model/limits.h"
#include "util/status.h"

namespace hearth::client {

inline constexpr unsigned kMinPauseMinutes = model::kMinPauseMinutes;
inline constexpr unsigned kMaxPauseMinutes = model::kMaxPauseMinutes;
inline constexpr unsigned kDefaultPauseMinutes = 30;
inline constexpr uint16_t kDefaultPort = 7420;
// Ids are at most 32 bytes; a prefix needs 4 hex characters to be useful.
inline constexpr size_t kMinIdPrefix = 4;
inline constexpr size_t kMaxIdPrefix = 64;

// "20m", "90m", "2h", "1h30m" (also "1h 30m", upper case) -> minutes, within
// kMinPauseMinutes..kMaxPauseMinutes.
Result<unsigned> parse_pause_duration(std::string_view text);

// An entry id, or a short form of one as printed by the lists: 4..64 hex
// characters (the daemon matches a unique start or end of an id, or the start of its last 8), returned
// in lower case.
Result<std::string> parse_id_prefix(std::string_view text);

// A device ID as `hearth id` prints it (any case, dashes or spaces optional);
// refuses a mistyped one, saying why: the wrong number of characters, a
// character outside the alphabet (named), or a typo the check characters
// caught. Returns the canonical form.
Result<std::string> parse_device_id_arg(std::string_view text);

// HOST:PORT, [IPv6]:PORT, or a host alone (port kDefaultPort). Returns
// HOST:PORT.
Result<std::string> parse_address(std::string_view text);

// "green" | "yellow" | "red", any case.
Result<Capacity> parse_capacity(std::string_view text);

// A feeling word or short phrase: trimmed, not empty, one line.
Result<std::string> parse_feeling(std::string_view text);

// `--limit N`: 0 means everything.
inline constexpr uint32_t kDefaultListLimit = 20;

}  // namespace hearth::client
