// The words of a new or edited entry: where they come from (TEXT, stdin,
// --from FILE or the editor) and what happens to them when they cannot be
// saved. No word is lost: whatever fails after the person has written, their
// words stay in a file only they can read, and they are told where and how
// to save them from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/commands.h"
#include "client/draft.h"

namespace hearth::client {

struct EntrySource {
  std::optional<std::string> text;  // TEXT as given; "-": read stdin
  std::string from_file;            // --from FILE; with neither: the editor
};

// What the person is told before their editor opens, and what it starts with.
struct EditorIntro {
  std::string_view current;       // the text the editor starts with (an edit)
  std::string_view what;          // "reflection"
  std::string_view first_line;    // "Write your reflection, then save and close the editor."
  std::string_view privacy_line;  // "It stays private on this device unless you share it."
};

class EntryText {
 public:
  EntryText(EntryText&&) = default;
  EntryText& operator=(EntryText&&) = delete;

  // The words, CRLF line ends made LF, blank space around them trimmed.
  const std::string& text() const { return text_; }

  // Why these words cannot be saved as they are (longer than kMaxEntryText;
  // the editor ended with an error after they were written), else ok. Pass
  // it to fail().
  const Status& problem() const { return problem_; }

  // Reports `status` as fail() in commands.h does, and keeps the words: a
  // draft stays where it is, words typed at the terminal go into a new
  // draft, a --from file is left as it is. Says where they are and the
  // command that saves them from there (with --json, the error document
  // carries the file as "draft"). Returns the exit code.
  int fail(Context& ctx, const Status& status);

  // Once the entry is saved: wipes the draft, and a kept draft of Hearth's
  // given with --from (saying so on stderr).
  void saved(Context& ctx);

  // Nothing to save (no words, or no change): wipes the draft.
  void discard();

 private:
  friend Result<EntryText> read_entry_text(Context&, const EntrySource&, const EditorIntro&,
                                           std::vector<std::string>);
  EntryText() = default;

  std::string text_;
  Status problem_;
  std::optional<Draft> draft_;  // the editor's
  std::string from_file_;       // --from FILE
  bool from_terminal_ = false;  // typed at the terminal on stdin
  bool too_long_ = false;
  std::string what_;
  std::vector<std::string> retry_;
};

// Reads the words of one entry from `source`. TEXT is taken as given; "-"
// reads stdin; --from reads that file; with neither, the editor opens on a
// Draft (without a terminal, only an editor chosen in $VISUAL or $EDITOR).
// Before the editor opens, or stdin is read from a terminal, a `status`
// request checks that hearthd runs and is unlocked: if not, that is the
// failure (kUnavailable, kLocked) and nothing is opened. `intro` is printed
// on stderr before the editor opens.
//
// `retry` is the command, without `hearth` and `--from FILE`, that saves the
// words later, e.g. {"reflect", "add", "--share"}.
//
// Fails with kInvalidArgument for TEXT together with --from, a file that
// cannot be read or is too large, an editor that cannot start, or an editor
// that ended with an error before anything was written.
Result<EntryText> read_entry_text(Context& ctx, const EntrySource& source, const EditorIntro& intro,
                                  std::vector<std::string> retry);

// `word` quoted for a POSIX shell when it needs it.
std::string shell_quote(std::string_view word);

}  // namespace hearth::client
