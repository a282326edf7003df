#include "client/entry_text.h"

#include <ostream>

#include "client/command_util.h"
#include "client/editor.h"
#include "client/text.h"

namespace hearth::client {
namespace {

// The draft's file name: editors choose plain-text settings by its ending.
std::string draft_file_name(std::string_view what) { return std::string(what) + ".txt"; }

// hearthd runs and is unlocked, so what the person is about to write can be
// saved at once.
Status daemon_ready(Context& ctx) {
  constexpr std::string_view kWhy =
      " Hearth opens your editor only once it can save what you write.";
  Result<StatusInfo> status = ask_for<StatusInfo>(ctx, request::status());
  if (!status) {
    if (status.status().code() == Code::kUnavailable)
      return Status::unavailable(status.status().message() + "." + std::string(kWhy));
    return status.status();
  }
  if (status->locked)
    return Status::locked("Hearth is locked: run `hearth unlock` first." + std::string(kWhy));
  return Status::ok();
}

// What to do once the cause of `status` is dealt with.
std::string retry_heading(const Status& status, bool too_long) {
  if (too_long) return "Shorten them there, then save them with:";
  switch (status.code()) {
    case Code::kUnavailable:
      return "Once hearthd runs, save them with:";
    case Code::kLocked:
      return "Once Hearth is unlocked (`hearth unlock`), save them with:";
    default:
      return "To save them, run:";
  }
}

// The command that saves the words in `file`: `hearth`, --home when given,
// `retry`, then --from FILE.
std::string save_command(const Context& ctx, const std::vector<std::string>& retry,
                         const std::string& file) {
  std::string command = "hearth";
  if (!ctx.global.home.empty()) command += " --home " + shell_quote(ctx.global.home);
  for (const std::string& arg : retry) command += " " + shell_quote(arg);
  return command + " --from " + shell_quote(file);
}

}  // namespace

std::string shell_quote(std::string_view word) {
  constexpr std::string_view kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@%+=,";
  if (!word.empty() && word.find_first_not_of(kPlain) == std::string_view::npos)
    return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<EntryText> read_entry_text(Context& ctx, const EntrySource& source, const EditorIntro& intro,
                                  std::vector<std::string> retry) {
  EntryText entry;
  entry.what_ = std::string(intro.what);
  entry.retry_ = std::move(retry);
  std::string raw;
  if (source.text && !source.from_file.empty()) {
    return Status::invalid("give the text or --from FILE, not both");
  } else if (!source.from_file.empty()) {
    HEARTH_ASSIGN_OR_RETURN(raw, read_text_file(source.from_file));
    entry.from_file_ = source.from_file;
  } else if (source.text && *source.text != "-") {
    raw = *source.text;
  } else if (source.text) {
    if (ctx.term.stdin_tty) {
      HEARTH_TRY(daemon_ready(ctx));
      ctx.err << "Write your " << intro.what << ", then press Ctrl-D on a new line to save it.\n";
      if (!intro.privacy_line.empty()) ctx.err << intro.privacy_line << "\n";
      ctx.err << std::flush;
      entry.from_terminal_ = true;
    }
    HEARTH_ASSIGN_OR_RETURN(raw, read_stdin_text());
  } else {
    // Without a terminal only an editor chosen on purpose ($VISUAL, $EDITOR) is run.
    if (!ctx.term.stdin_tty && !editor_configured())
      return Status::invalid(
          "no text given: pass it as an argument, - to read it from stdin, or --from FILE");
    HEARTH_TRY(daemon_ready(ctx));
    std::string initial(intro.current);
    if (!initial.empty() && initial.back() != '\n') initial += '\n';
    HEARTH_ASSIGN_OR_RETURN(Draft draft, Draft::create(initial, draft_file_name(intro.what)));
    entry.draft_.emplace(std::move(draft));
    ctx.err << intro.first_line << "\n";
    if (!intro.privacy_line.empty()) ctx.err << intro.privacy_line << "\n";
    ctx.err << "Every line you write is kept. An empty text saves nothing.\n" << std::flush;
    const Status edited = run_editor(*entry.draft_);
    // Editors may replace the file rather than write into it: it is opened afresh.
    Result<std::string> written = read_text_file(entry.draft_->path());
    if (!edited.is_ok()) {
      // The draft is kept only when something was written before the editor failed.
      if (!written || draft_text(*written).empty() ||
          draft_text(*written) == draft_text(intro.current))
        return edited;
      entry.problem_ = edited;
    }
    if (!written) return written.status();
    raw = std::move(*written);
    const std::string& path = entry.draft_->path();
    entry.draft_->keep_on_interrupt(
        "\nStopped while saving. Your words are kept in a file only you can read:\n  " +
        terminal_safe(path, false) + "\nIf Hearth does not show them yet, save them with:\n  " +
        terminal_safe(save_command(ctx, entry.retry_, path), false) + "\n");
  }
  entry.text_ = draft_text(raw);
  if (entry.text_.size() > kMaxEntryText || raw.size() > kMaxEntryFile) {
    entry.too_long_ = true;
    if (entry.problem_.is_ok())
      entry.problem_ = Status::invalid(too_long_message(
          raw.size() > kMaxEntryFile ? raw.size() : entry.text_.size(), intro.what));
  }
  return entry;
}

int EntryText::fail(Context& ctx, const Status& status) {
  std::string kept;  // the file the words are in now
  if (draft_) {
    draft_->keep();
    kept = draft_->path();
  } else if (!from_file_.empty()) {
    kept = from_file_;
  } else if (from_terminal_ && !text_.empty()) {
    Result<Draft> draft = Draft::create(text_ + "\n", draft_file_name(what_));
    if (draft) {
      draft->keep();
      kept = draft->path();
    }
  }
  const int code = fail_keeping(ctx, status, kept);
  if (kept.empty()) {
    if (from_terminal_ && !text_.empty()) {
      // No private place to keep them: the screen is the last one left.
      ctx.err << "Your words could not be kept in a file. Here they are, to copy:\n\n"
              << terminal_safe(text_) << "\n";
    }
    ctx.err << std::flush;
    return code;
  }
  const std::string command = save_command(ctx, retry_, kept);
  const std::string shown = terminal_safe(kept, false);
  if (from_file_.empty()) {
    ctx.err << "Your words are not lost. They are kept in a file only you can read, until\n"
            << "you log out or restart the computer:\n  " << shown << "\n";
  } else {
    ctx.err << "Your words are still in " << shown << ".\n";
  }
  ctx.err << retry_heading(status, too_long_) << "\n  " << terminal_safe(command, false) << "\n"
          << std::flush;
  return code;
}

void EntryText::saved(Context& ctx) {
  if (draft_) draft_->wipe();
  if (from_file_.empty() || !is_hearth_draft(from_file_)) return;
  const Status wiped = wipe_draft_of(from_file_);
  const std::string shown = terminal_safe(from_file_, false);
  if (wiped.is_ok()) {
    ctx.err << "The kept draft " << shown << " is wiped: its words are in Hearth now.\n";
  } else {
    ctx.err << "The kept draft " << shown << " could not be wiped (" << wiped.message()
            << "); delete it yourself.\n";
  }
  ctx.err << std::flush;
}

void EntryText::discard() {
  if (draft_) draft_->wipe();
}

}  // namespace hearth::client
