#include "client/command_util.h"

#include <ostream>

#include "client/args.h"
#include "client/editor.h"
#include "client/render_json.h"
#include "client/text.h"

namespace hearth::client {

const char* error_code_name(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "usage";
    case Code::kUnavailable:
      return "not_running";
    case Code::kLocked:
      return "locked";
    case Code::kRefused:
    case Code::kAuthFailed:
      return "refused";
    case Code::kNotFound:
      return "not_found";
    case Code::kIo:
      return "io";
    case Code::kOk:
    case Code::kCorrupt:
    case Code::kInternal:
      return "internal";
  }
  return "internal";
}

int exit_code_for(Code code) {
  switch (code) {
    case Code::kOk:
      return kExitOk;
    case Code::kInvalidArgument:
      return kExitUsage;
    case Code::kUnavailable:
    case Code::kLocked:
      return kExitUnavailable;
    case Code::kRefused:
    case Code::kAuthFailed:
    case Code::kNotFound:
      return kExitRefused;
    case Code::kIo:
    case Code::kCorrupt:
    case Code::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

Status status_of(const DaemonError& error) {
  switch (error.code) {
    case DaemonErrorCode::kUsage:
      return Status::invalid(error.message);
    case DaemonErrorCode::kLocked:
      return Status::locked(error.message);
    case DaemonErrorCode::kRefused:
      return Status::refused(error.message);
    case DaemonErrorCode::kNotFound:
      return Status::not_found(error.message);
    case DaemonErrorCode::kInternal:
      return Status::internal(error.message);
    case DaemonErrorCode::kWrongPassphrase:
      return Status::auth_failed(error.message);
  }
  return Status::internal(error.message);
}

int fail(Context& ctx, const Status& status) {
  const Code code = status.is_ok() ? Code::kInternal : status.code();
  std::string message =
      status.message().empty() ? std::string(error_code_name(code)) : status.message();
  if (ctx.json()) ctx.out << json_error_document(error_code_name(code), message) << std::flush;
  const bool ours = code == Code::kCorrupt || code == Code::kInternal || code == Code::kIo;
  ctx.err << (ours ? "Something went wrong: " : "") << terminal_safe(message, false) << "\n"
          << std::flush;
  return exit_code_for(code);
}

Result<Reply> ask(Context& ctx, ByteView request, Wait wait) {
  HEARTH_ASSIGN_OR_RETURN(Reply reply, ctx.daemon.call(request, wait));
  if (const auto* error = std::get_if<DaemonError>(&reply)) return status_of(*error);
  return reply;
}

void print_json(Context& ctx, const Reply& reply) { ctx.out << json_document(reply) << std::flush; }

Result<std::string> entry_text(Context& ctx, const std::optional<std::string>& arg,
                               std::string_view current, std::string_view what,
                               std::string_view privacy_line) {
  std::string text;
  if (arg && *arg != "-") {
    text = std::string(trim(*arg));
  } else if (arg) {
    HEARTH_ASSIGN_OR_RETURN(std::string raw, read_stdin_text());
    text = std::string(trim(raw));
  } else {
    // Without a terminal only an editor chosen on purpose ($VISUAL, $EDITOR) is run.
    if (!ctx.term.stdin_tty && !editor_configured())
      return Status::invalid("no text given: pass it as an argument, or - to read it from stdin");
    HEARTH_ASSIGN_OR_RETURN(std::string raw,
                            edit_in_editor(editor_template(current, what, privacy_line)));
    text = strip_editor_text(raw);
  }
  if (text.size() > kMaxEntryText)
    return Status::invalid("the text is larger than 64 KiB; nothing was saved");
  return text;
}

Status can_confirm(const Context& ctx, bool yes) {
  if (yes || (!ctx.json() && ctx.term.stdin_tty)) return Status::ok();
  return Status::invalid("this cannot be undone, so it needs a confirmation: add --yes");
}

Result<bool> confirmed(Context& ctx, bool yes, std::string_view question) {
  if (yes) return true;
  HEARTH_TRY(can_confirm(ctx, yes));
  return confirm(question);
}

Result<std::vector<std::string>> parse_feelings(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& f : raw) {
    HEARTH_ASSIGN_OR_RETURN(std::string feeling, parse_feeling(f));
    out.push_back(std::move(feeling));
  }
  return out;
}

Result<std::string> parse_short_text(std::string_view raw, std::string_view what) {
  std::string_view t = trim(raw);
  if (t.size() > 1024)
    return Status::invalid("the " + std::string(what) + " is longer than 1 KiB; please shorten it");
  return std::string(t);
}

}  // namespace hearth::client
