// Writing longer text in the user's editor, and reading text from stdin or a
// file.
//
// The editor works on a Draft (draft.h): a private file in memory, never in
// the Hearth home, which must hold no plaintext. Every line the person writes
// is kept: nothing in the file is treated as a comment.
#pragma once

#include <string>
#include <string_view>

#include "client/draft.h"
#include "util/status.h"

#include "model/limits.h"

namespace hearth::client {

// The most text one entry may hold, from the editor, stdin or a file.
inline constexpr size_t kMaxEntryText = model::kMaxReflectionText;
// The most of a file, or of stdin, that is read; blank space around the
// text is trimmed before kMaxEntryText applies.
inline constexpr size_t kMaxEntryFile = 4 * kMaxEntryText;

// The text of a file the person wrote: CRLF line ends become LF, and leading
// and trailing blank space is trimmed. Every line is kept, those starting
// with '#' too.
std::string draft_text(std::string_view file_text);

// "The text is 70 KiB; a reflection holds at most 64 KiB, so nothing was
// saved." for text of `bytes` bytes ("more than 256 KiB" past
// kMaxEntryFile); `what` names the entry.
std::string too_long_message(size_t bytes, std::string_view what);

// The editor to run: $VISUAL, else $EDITOR, else `sensible-editor` when it
// is on $PATH, else `vi`. The value may carry arguments ("code -w").
std::string editor_command();
// Whether $VISUAL or $EDITOR is set (an editor chosen on purpose, which may
// also be a script).
bool editor_configured();

// Opens editor_command() on the draft's file and waits for it to exit.
// SIGINT and SIGQUIT go to the editor alone; SIGHUP and SIGTERM wipe the
// draft (draft.h). kInvalidArgument when the editor cannot be started or
// exits with an error.
Status run_editor(Draft& draft);

// Up to kMaxEntryFile + 1 bytes of `path` (more than kMaxEntryFile means
// too long; the caller says so). kInvalidArgument when it cannot be read.
Result<std::string> read_text_file(const std::string& path);

// Up to kMaxEntryFile + 1 bytes of stdin, as read_text_file().
Result<std::string> read_stdin_text();

}  // namespace hearth::client
