// reflect *.
#include <optional>
#include <ostream>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/partner_context.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

constexpr std::string_view kNothingSaved = "Nothing was written, so nothing was saved.";

std::string privacy_line(bool share) {
  return share ? "It will be shared with your partner."
               : "It stays private on this device unless you share it.";
}

}  // namespace

// ---------------------------------------------------------------- reflections

int run_reflect_add(Context& ctx, const ReflectAddOptions& o) {
  Result<std::vector<std::string>> feelings = parse_feelings(o.feelings);
  if (!feelings) return fail(ctx, feelings.status());
  std::string reply_to;
  if (!o.reply_to.empty()) {
    Result<std::string> parsed = parse_id_prefix(o.reply_to);
    if (!parsed) return fail(ctx, parsed.status());
    reply_to = *parsed;
  }
  Result<std::string> prompt = parse_short_text(o.prompt_id, "prompt id");
  if (!prompt) return fail(ctx, prompt.status());
  Result<std::string> text = entry_text(ctx, o.text, "", "reflection", privacy_line(o.share));
  if (!text) return fail(ctx, text.status());
  if (text->empty()) return fail(ctx, Status::invalid(std::string(kNothingSaved)));

  ReflectAddRequest r{*text, o.share, *feelings, *prompt, reply_to};
  Result<Reply> reply = ask(ctx, request::reflect_add(r));
  if (!reply) return fail(ctx, reply.status());
  const std::string id = written_id<Reflection>(*reply, "");
  const std::string tag = id.empty() ? "" : " (" + id + ")";
  if (o.share) {
    const Overview o_ctx = overview_or_empty(ctx);
    print_with_context(ctx, *reply, o_ctx,
                       "Saved and shared" + tag + ". " + where_shared_goes(o_ctx, ctx.now));
    return kExitOk;
  }
  std::string human = "Saved privately" + tag + ". Only you can read it";
  human += id.empty() ? ".\n" : "; `hearth reflect share " + id + "` shares it.\n";
  return print_written<Reflection>(ctx, *reply, human);
}

int run_reflect_list(Context& ctx, const ListOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<std::vector<Reflection>> list =
      ask_for<std::vector<Reflection>>(ctx, request::reflect_list(o.limit, false));
  if (!list) return fail(ctx, list.status());
  print_with_context(ctx, *list, o_ctx, text_reflections(*list, o.limit, ctx.now));
  return kExitOk;
}

int run_reflect_show(Context& ctx, const ReflectTargetOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reflection> r = ask_for<Reflection>(ctx, request::reflect_show(*id));
  if (!r) return fail(ctx, r.status());
  if (ctx.json()) {
    print_json(ctx, *r);
  } else {
    ctx.out << text_reflection(*r, ctx.now) << std::flush;
  }
  return kExitOk;
}

int run_reflect_edit(Context& ctx, const ReflectEditOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<std::vector<std::string>> feelings = parse_feelings(o.feelings);
  if (!feelings) return fail(ctx, feelings.status());

  std::string current;
  bool shared = false;
  if (!o.text) {
    // The editor starts from the current text.
    Result<Reflection> r = ask_for<Reflection>(ctx, request::reflect_show(*id));
    if (!r) return fail(ctx, r.status());
    if (!r->mine)
      return fail(ctx, Status::refused("only its author can edit a reflection; you can answer "
                                       "it with `hearth reflect add --reply-to " +
                                       short_id(r->id) + "`"));
    current = r->text;
    shared = r->shared;
    *id = to_hex(r->id);
  }
  Result<std::string> text =
      entry_text(ctx, o.text, current, "reflection",
                 shared ? "It is shared: your partner's device gets the new version, and earlier "
                          "versions stay in its history."
                        : "It stays private on this device unless you share it.");
  if (!text) return fail(ctx, text.status());
  if (text->empty()) return fail(ctx, Status::invalid(std::string(kNothingSaved)));
  if (!o.text && *text == trim(current) && feelings->empty()) {
    if (ctx.json()) {
      print_json(ctx, Ok{});
    } else {
      ctx.out << "Nothing changed, so nothing was saved.\n" << std::flush;
    }
    return kExitOk;
  }

  ReflectEditRequest r{*id, *text, feelings->empty(), *feelings};
  Result<Reply> reply = ask(ctx, request::reflect_edit(r));
  if (!reply) return fail(ctx, reply.status());
  return print_written<Reflection>(ctx, *reply,
                                   "Updated (" + written_id<Reflection>(*reply, *id) +
                                       "). Earlier versions stay readable in its history.\n");
}

int run_reflect_share(Context& ctx, const ReflectTargetOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::reflect_share(*id));
  if (!reply) return fail(ctx, reply.status());
  const std::string shown = written_id<Reflection>(*reply, *id);
  const Overview o_ctx = overview_or_empty(ctx);
  print_with_context(ctx, *reply, o_ctx,
                     "Shared (" + shown + "). " + where_shared_goes(o_ctx, ctx.now) +
                         "`hearth reflect forget " + shown +
                         "` would delete it from both devices.\n");
  return kExitOk;
}

int run_reflect_forget(Context& ctx, const ReflectTargetOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  if (Status st = can_confirm(ctx, o.yes); !st.is_ok()) return fail(ctx, st);
  std::optional<bool> was_shared;  // known when we asked first
  if (!o.yes) {
    // Say what is about to be forgotten, and pin the full id.
    Result<Reflection> r = ask_for<Reflection>(ctx, request::reflect_show(*id));
    if (!r) return fail(ctx, r.status());
    if (!r->mine) return fail(ctx, Status::refused("only its author can forget a reflection"));
    *id = to_hex(r->id);
    was_shared = r->shared;
    std::string first_line = terminal_safe(r->text.substr(0, r->text.find('\n')), false);
    if (first_line.size() > 60) first_line = first_line.substr(0, 57) + "...";
    std::string question = "Forget the reflection of " + human_time(r->created_at, ctx.now) +
                           " (\"" + first_line + "\")? It is deleted from this device";
    question +=
        r->shared ? " and from your partner's. This cannot be undone." : ". This cannot be undone.";
    Result<bool> go = confirmed(ctx, false, question);
    if (!go) return fail(ctx, go.status());
    if (!*go) {
      ctx.err << "Nothing was changed.\n" << std::flush;
      return kExitOk;
    }
  }
  Result<Reply> reply = ask(ctx, request::reflect_forget(*id));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
    return kExitOk;
  }
  ctx.out << "Forgotten: its words are gone from this device.\n";
  if (!was_shared) {
    ctx.out << "If it was shared, your partner's Hearth deletes its copy when the two devices\n"
               "next connect.\n";
  } else if (*was_shared) {
    ctx.out << "Your partner's Hearth deletes its copy when the two devices next connect.\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

}  // namespace hearth::client
