// Asking a person for passphrases (init, unlock, passphrase set/change/remove).
//
// Kind to someone who mistypes: an empty entry, two entries that differ and a
// passphrase that does not open the keys are each said plainly and asked
// again, kPassphraseTries tries in all; then the command stops, having
// changed nothing. A very short new passphrase is warned about, never refused.
// The end of input (Ctrl-D) stops at once.
#pragma once

#include <functional>
#include <string_view>

#include "util/secret.h"
#include "util/status.h"

namespace hearth::client {

inline constexpr int kPassphraseTries = 3;
// A new passphrase of fewer characters (not bytes) than this gets a warning.
inline constexpr size_t kShortPassphrase = 8;

// Where the answers come from and where the words go: the terminal (echo off,
// stderr) in the CLI, a script in tests.
struct PassphraseIo {
  // Prompts and reads one line; an empty Secret for an empty line. Fails
  // (kInvalidArgument) at the end of input.
  std::function<Result<Secret>(std::string_view prompt)> ask;
  // Writes one line for the person (a newline is added).
  std::function<void(std::string_view line)> say;
};

// The terminal: prompts on stderr, answers from stdin without echo.
PassphraseIo terminal_passphrase_io();

// Characters in a UTF-8 passphrase (continuation bytes not counted).
size_t passphrase_characters(const Secret& passphrase);
// Says the short-passphrase warning through `say` if `passphrase` is short.
void warn_if_short(const Secret& passphrase, const std::function<void(std::string_view)>& say);

// A new passphrase, typed twice (`first_prompt`, then "Same passphrase
// again: "). Asks again after an empty entry or two that differ; warns about
// a short one and goes on.
Result<Secret> ask_new_passphrase(const PassphraseIo& io,
                                  std::string_view first_prompt = "New passphrase: ");

// Asks for an existing passphrase with `prompt` and hands it to `check` (the
// daemon or the key file decides). Asks again after an empty entry or when
// `check` answers kAuthFailed; returns `check`'s first other answer at once.
// After the last try, the kAuthFailed (with a closing sentence added).
Status ask_until_accepted(const PassphraseIo& io, std::string_view prompt,
                          const std::function<Status(const Secret&)>& check);

}  // namespace hearth::client
