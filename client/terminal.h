// Talking with the person at the terminal: passphrases and confirmations.
//
// Prompts are written to stderr so stdout stays clean for --json and pipes;
// answers are read from stdin, which must be a terminal (callers check
// Terminal::stdin_tty first and ask for a flag otherwise).
#pragma once

#include <string>
#include <string_view>

#include "util/secret.h"
#include "util/status.h"

namespace hearth::client {

// Passphrases longer than this are refused (the key file allows any length;
// this keeps reading bounded).
inline constexpr size_t kMaxPassphrase = 1024;
// A passphrase file is small: its first line is the passphrase.
inline constexpr size_t kMaxPassphraseFile = 4096;

struct Terminal {
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stderr_tty = false;

  static Terminal detect();
};

// Prompts on stderr and reads one line from stdin with echo off. The terminal
// is restored afterwards, also when interrupted. An empty line gives an empty
// Secret (the caller asks again: client/passphrase_prompt.h); the end of
// input before any character is kInvalidArgument.
Result<Secret> prompt_passphrase(std::string_view prompt);

// The first line of `path` (trailing CR/LF removed). Refuses an empty line
// and a file larger than kMaxPassphraseFile. The bytes never pass through
// memory that is freed unwiped.
Result<Secret> read_passphrase_file(const std::string& path);

// Asks a yes/no question on stderr; only "y" or "yes" (any case) agree.
bool confirm(std::string_view question);

// Reads one line from stdin after a prompt on stderr (echo on). Empty on EOF.
std::string prompt_line(std::string_view prompt);

}  // namespace hearth::client
