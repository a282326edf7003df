// Writing longer text in the user's editor, and reading text from stdin.
//
// The editor works on a temporary file made 0600 in $XDG_RUNTIME_DIR (else
// /tmp), never in the Hearth home, which must hold no plaintext. When the
// editor exits the file is read, overwritten with zeros and removed.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace hearth::client {

// The most text one entry may hold, from the editor or from stdin.
inline constexpr size_t kMaxEntryText = 64 * 1024;

// What the editor shows: `current` (may be empty), then comment lines that
// explain how the file is read. `what` names the text ("reflection").
std::string editor_template(std::string_view current, std::string_view what,
                            std::string_view privacy_line);

// The text of an edited file: lines starting with '#' removed, then leading
// and trailing blank space trimmed. CRLF line ends become LF.
std::string strip_editor_text(std::string_view file_text);

// Where the temporary file goes: $XDG_RUNTIME_DIR if set, else /tmp.
std::string editor_temp_dir();

// $VISUAL, else $EDITOR, else "vi". The value may carry arguments ("code -w").
std::string editor_command();
// Whether $VISUAL or $EDITOR is set (an editor chosen on purpose, which may
// also be a script).
bool editor_configured();

// Opens the editor on a temporary file holding `initial`, waits for it, and
// returns what the file holds afterwards (unstripped). Fails when the editor
// cannot be started or exits with an error, or when the result is larger
// than kMaxEntryText.
Result<std::string> edit_in_editor(std::string_view initial);

// Reads all of stdin, refusing more than kMaxEntryText bytes.
Result<std::string> read_stdin_text();

}  // namespace hearth::client
