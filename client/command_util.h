// Shared steps of the command implementations (not used by main.cpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

#include "client/commands.h"
#include "client/control_codec.h"
#include "client/text.h"
#include "model/limits.h"

namespace hearth::client {

// Sends `request`; a daemon Error becomes the matching failed Status.
Result<Reply> ask(Context& ctx, ByteView request, Wait wait = Wait::kNormal);

// The reply as T, or kCorrupt when hearthd answered with something else.
template <typename T>
Result<T> reply_as(Result<Reply> reply) {
  if (!reply) return reply.status();
  if (T* value = std::get_if<T>(&*reply)) return std::move(*value);
  return Status::corrupt("hearthd answered with something this command did not expect");
}

template <typename T>
Result<T> ask_for(Context& ctx, ByteView request, Wait wait = Wait::kNormal) {
  return reply_as<T>(ask(ctx, request, wait));
}

// Writes the JSON document for `reply` to stdout.
void print_json(Context& ctx, const Reply& reply);

// fail() for a failure that left the person's words in the file `kept`:
// with --json the error document carries it as "draft" (when not empty).
int fail_keeping(Context& ctx, const Status& status, const std::string& kept);

// Asks `question` on the terminal unless `yes`. Without a terminal, or with
// --json, refuses (kInvalidArgument) and says to add --yes. Returns whether
// to go ahead.
Result<bool> confirmed(Context& ctx, bool yes, std::string_view question);
// The refusal confirmed() would give, checked before any work is done.
Status can_confirm(const Context& ctx, bool yes);

// Validated feelings (trimmed, non-empty, one line each).
Result<std::vector<std::string>> parse_feelings(const std::vector<std::string>& raw);

// An optional short text (a note, a need, a category), trimmed; refused in
// the daemon's words when it breaks the limit `max` (model/limits.h) that the
// daemon applies too.
Result<std::string> parse_short_text(std::string_view raw, std::string_view what, size_t max);

// Prints the written item (JSON) or `text`; a reply of T or Ok is accepted.
template <typename T>
inline int print_written(Context& ctx, const Reply& reply, const std::string& text) {
  if (!std::holds_alternative<T>(reply) && !std::holds_alternative<Ok>(reply))
    return fail(ctx,
                Status::corrupt("hearthd answered with something this command did not expect"));
  if (ctx.json()) {
    print_json(ctx, reply);
  } else {
    ctx.out << text << std::flush;
  }
  return kExitOk;
}

// The short id of the written item when the reply carries it, else of `fallback`.
template <typename T>
std::string written_id(const Reply& reply, std::string_view fallback) {
  if (const auto* item = std::get_if<T>(&reply)) return short_id(item->id);
  return std::string(fallback.substr(0, 8));
}


}  // namespace hearth::client
