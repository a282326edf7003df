// reflect *.
#include <optional>
#include <ostream>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/entry_text.h"
#include "client/partner_context.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

constexpr std::string_view kNothingSaved = "Nothing was written, so nothing was saved.";

// Whether `reply` answers a write: the written T, or Ok.
template <typename T>
bool is_written(const Reply& reply) {
  return std::holds_alternative<T>(reply) || std::holds_alternative<Ok>(reply);
}

Status unexpected_reply() {
  return Status::corrupt("hearthd answered with something this command did not expect");
}

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
  Result<std::string> prompt = parse_short_text(o.prompt_id, "the prompt ID", model::kMaxShortText);
  if (!prompt) return fail(ctx, prompt.status());

  std::vector<std::string> retry = {"reflect", "add"};
  if (o.share) retry.push_back("--share");
  for (const std::string& f : *feelings) retry.insert(retry.end(), {"--feeling", f});
  if (!prompt->empty()) retry.insert(retry.end(), {"--prompt", *prompt});
  if (!reply_to.empty()) retry.insert(retry.end(), {"--reply-to", reply_to});
  const std::string privacy = privacy_line(o.share);
  Result<EntryText> text = read_entry_text(
      ctx, EntrySource{o.text, o.from_file},
      EditorIntro{"", "reflection", "Write your reflection, then save and close the editor.",
                  privacy},
      std::move(retry));
  if (!text) return fail(ctx, text.status());
  if (!text->problem().is_ok()) return text->fail(ctx, text->problem());
  if (text->text().empty()) {
    text->discard();
    return fail(ctx, Status::invalid(std::string(kNothingSaved)));
  }

  Result<std::string> content_note = parse_short_text(o.content_note, "the content note", model::kMaxContentNote);
  if (!content_note) return text->fail(ctx, content_note.status());
  ReflectAddRequest r{text->text(), o.share, *feelings, *prompt, reply_to, *content_note};
  Result<Reply> reply = ask(ctx, request::reflect_add(r));
  if (!reply) return text->fail(ctx, reply.status());
  if (!is_written<Reflection>(*reply)) return text->fail(ctx, unexpected_reply());
  const std::string id = written_id<Reflection>(*reply, "");
  const std::string tag = id.empty() ? "" : " (" + id + ")";
  if (o.share) {
    const Overview o_ctx = overview_or_empty(ctx);
    print_with_context(ctx, *reply, o_ctx,
                       "Saved and shared" + tag + ". " + where_shared_goes(o_ctx, ctx.now));
    text->saved(ctx);
    return kExitOk;
  }
  std::string human = "Saved privately" + tag + ". Only you can read it";
  human += id.empty() ? ".\n" : "; `hearth reflect share " + id + "` shares it.\n";
  const int code = print_written<Reflection>(ctx, *reply, human);
  if (code == kExitOk) text->saved(ctx);
  return code;
}

int run_reflect_list(Context& ctx, const ListOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<std::vector<Reflection>> list =
      ask_for<std::vector<Reflection>>(ctx, request::reflect_list(o.limit, false, o.archived));
  if (!list) return fail(ctx, list.status());
  print_with_context(ctx, *list, o_ctx, text_reflections(*list, o.limit, ctx.now, o_ctx.partner_name));
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

  const bool in_editor = !o.text && o.from_file.empty();
  std::string current;
  bool shared = false;
  if (in_editor) {
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
  std::vector<std::string> retry = {"reflect", "edit", *id};
  for (const std::string& f : *feelings) retry.insert(retry.end(), {"--feeling", f});
  Result<EntryText> text = read_entry_text(
      ctx, EntrySource{o.text, o.from_file},
      EditorIntro{current, "reflection", "Change your reflection, then save and close the editor.",
                  shared ? "It is shared: your partner's device gets the new version, and "
                           "earlier versions stay in its history."
                         : "It stays private on this device unless you share it."},
      std::move(retry));
  if (!text) return fail(ctx, text.status());
  if (!text->problem().is_ok()) return text->fail(ctx, text->problem());
  if (text->text().empty()) {
    text->discard();
    return fail(ctx, Status::invalid(std::string(kNothingSaved)));
  }
  if (in_editor && text->text() == trim(current) && feelings->empty()) {
    text->discard();
    if (ctx.json()) {
      print_json(ctx, Ok{});
    } else {
      ctx.out << "Nothing changed, so nothing was saved.\n" << std::flush;
    }
    return kExitOk;
  }

  ReflectEditRequest r{*id, text->text(), feelings->empty(), *feelings};
  Result<Reply> reply = ask(ctx, request::reflect_edit(r));
  if (!reply) return text->fail(ctx, reply.status());
  if (!is_written<Reflection>(*reply)) return text->fail(ctx, unexpected_reply());
  const int code =
      print_written<Reflection>(ctx, *reply,
                                "Updated (" + written_id<Reflection>(*reply, *id) +
                                    "). Earlier versions stay readable in its history.\n");
  if (code == kExitOk) text->saved(ctx);
  return code;
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
    if (first_line.size() > 60) first_line = std::string(utf8_prefix(first_line, 57)) + "...";
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
