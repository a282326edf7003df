#include "client/command_util.h"

#include <ostream>

#include "client/args.h"
#include "client/json.h"
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

namespace {

// `message` written as a sentence: a capital first letter, unless it starts
// with a program's name (hearth, hearthd: lower case) or a command in
// backquotes, and a full stop unless it ends with one, or with ? or !.
std::string as_sentence(std::string message, bool capital) {
  if (message.empty()) return message;
  if (capital && message.rfind("hearth", 0) != 0 && message[0] >= 'a' && message[0] <= 'z')
    message[0] = static_cast<char>(message[0] - 'a' + 'A');
  const char last = message.back();
  if (last != '.' && last != '?' && last != '!') message += '.';
  return message;
}

}  // namespace

int fail(Context& ctx, const Status& status) { return fail_keeping(ctx, status, ""); }

int fail_keeping(Context& ctx, const Status& status, const std::string& kept) {
  const Code code = status.is_ok() ? Code::kInternal : status.code();
  std::string message =
      status.message().empty() ? std::string(error_code_name(code)) : status.message();
  if (ctx.json()) {
    if (kept.empty()) {
      ctx.out << json_error_document(error_code_name(code), message);
    } else {
      JsonWriter w(0);
      w.begin_object().key("error").begin_object();
      w.key("code").value(error_code_name(code)).key("message").value(message);
      w.key("draft").value(kept);
      w.end_object().end_object();
      ctx.out << w.finish();
    }
    ctx.out << std::flush;
  }
  const bool ours = code == Code::kCorrupt || code == Code::kInternal || code == Code::kIo;
  // The JSON document keeps the message as it came; people read a sentence.
  ctx.err << (ours ? "Something went wrong: " : "")
          << as_sentence(terminal_safe(message, false), !ours) << "\n"
          << std::flush;
  return exit_code_for(code);
}

Result<Reply> ask(Context& ctx, ByteView request, Wait wait) {
  HEARTH_ASSIGN_OR_RETURN(Reply reply, ctx.daemon.call(request, wait));
  if (const auto* error = std::get_if<DaemonError>(&reply)) return status_of(*error);
  return reply;
}

void print_json(Context& ctx, const Reply& reply) { ctx.out << json_document(reply) << std::flush; }

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

Result<std::string> parse_short_text(std::string_view raw, std::string_view what, size_t max) {
  std::string_view t = trim(raw);
  HEARTH_TRY(model::check_text(t, max, what, false));
  return std::string(t);
}

}  // namespace hearth::client
