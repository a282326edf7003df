// What a person may write, in one place: the daemon checks every payload
// against these (model::validate, on writing and on receipt, so a partner's
// device cannot make ours allocate without bound), and the CLI checks its
// arguments early with the same constants and the same words (check_text).
// schema/PROTOCOL.md §2.3 lists them for the wire; the limits of the
// protocol itself (messages, batches, headers) are in wire/ and listed in
// §8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"
#include "util/utf8.h"

namespace hearth::model {

// Texts (bytes of UTF-8 without NUL).
inline constexpr size_t kMaxReflectionText = 64 * 1024;
inline constexpr size_t kMaxBoundaryText = 4 * 1024;
inline constexpr size_t kMaxNote = 2 * 1024;  // notes, a need, a reply to a need
inline constexpr size_t kMaxFeelings = 16;
inline constexpr size_t kMaxFeeling = 64;
inline constexpr size_t kMaxShortText = 64;  // category, prompt ID, a sealed setting
inline constexpr size_t kMaxContentNote = 200;
inline constexpr size_t kMaxAppreciation = 1024;
inline constexpr size_t kMaxAskText = 1024;
inline constexpr size_t kMaxAnswerText = 16 * 1024;
// A device's name: in the store, in Hello (wire/peer_codec.h) and in the
// pairing identity (proto/pairing.h).
inline constexpr size_t kMaxNameBytes = 64;
// A sealed answer: the encoded AnswerWords (text, a choice, capnp framing)
// plus the nonce and tag.
inline constexpr size_t kMaxSealedAnswer = kMaxAnswerText + 128;

// Numbers.
inline constexpr uint16_t kMaxPracticeMinutes = 60;
inline constexpr uint16_t kMinPauseMinutes = 20;
inline constexpr uint16_t kMaxPauseMinutes = 1440;

// Upper bound of an encoded payload; bodies larger than this are refused.
inline constexpr size_t kMaxPayloadBytes = 96 * 1024;

// The one wording of a text that breaks its limit, for the daemon and the
// CLI alike: "<what> is empty" (when `required`), "<what> is at most 4 KiB;
// please shorten it" (KiB when the limit is a whole number of them, else
// bytes), "<what> is not valid UTF-8". kInvalidArgument.
Status check_text(std::string_view text, size_t max, std::string_view what, bool required);
// A device's name: at most kMaxNameBytes of UTF-8, in the words of
// `hearth init --name`.
Status check_name(std::string_view name);

using hearth::is_valid_utf8;
using hearth::utf8_prefix;

}  // namespace hearth::model
