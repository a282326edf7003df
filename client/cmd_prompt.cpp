// prompt *, ynm *, appreciate, checkin reply, reflect|checkin archive:
// turning toward each other (docs/DESIGN.md §5.6). Answers are sealed: each
// partner sees the other's only once both have answered.
#include <ctime>
#include <ostream>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/entry_text.h"
#include "client/partner_context.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"
#include "util/day.h"

namespace hearth::client {
namespace {

Result<std::string> prompt_id_arg(std::string_view raw) {
  std::string id(trim(raw));
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (id.empty() || id.size() > model::kMaxShortText) return Status::invalid("give a prompt's ID as the lists show it, e.g. again-012");
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return Status::invalid("a prompt's ID holds letters, digits and dashes, e.g. again-012");
  }
  return id;
}

Result<uint8_t> depth_arg(int depth, bool zero_ok) {
  if ((zero_ok && depth == 0) || (depth >= 1 && depth <= 3)) return static_cast<uint8_t>(depth);
  return Status::invalid("a depth is 1 (light), 2 (thoughtful) or 3 (deeper)");
}

int print_prompt(Context& ctx, const Reply& reply, const std::string& before = {}) {
  const Overview o = ctx.json() ? Overview{} : overview_or_empty(ctx);
  if (ctx.json()) {
    print_json(ctx, reply);
    return kExitOk;
  }
  if (const auto* p = std::get_if<Prompt>(&reply)) {
    ctx.out << before << text_prompt(*p, ctx.now, o.partner_name) << std::flush;
    return kExitOk;
  }
  return fail(ctx, Status::corrupt("hearthd answered with something this command did not expect"));
}

// The newest yes / no / maybe round's ID, or a failure that says how to start one.
Result<Bytes> newest_round(Context& ctx) {
  HEARTH_ASSIGN_OR_RETURN(YnmInfo y, ask_for<YnmInfo>(ctx, request::ynm_show("")));
  if (y.round.id.empty())
    return Status::refused("no yes / no / maybe round has started; `hearth ynm start` begins one");
  return y.round.id;
}

}  // namespace

int run_prompt_today(Context& ctx, const PromptTodayOptions& o) {
  Result<uint8_t> depth = depth_arg(o.depth, true);
  if (!depth) return fail(ctx, depth.status());
  Result<Reply> reply = ask(ctx, request::prompt_today(local_day(ctx.now), *depth));
  if (!reply) return fail(ctx, reply.status());
  return print_prompt(ctx, *reply, ctx.json() ? "" : "Today's prompt, the same for you both:\n");
}

int run_prompt_decks(Context& ctx) {
  Result<std::vector<DeckInfo>> decks = ask_for<std::vector<DeckInfo>>(ctx, request::prompt_decks());
  if (!decks) return fail(ctx, decks.status());
  if (ctx.json()) {
    print_json(ctx, *decks);
  } else {
    ctx.out << text_decks(*decks) << std::flush;
  }
  return kExitOk;
}

int run_prompt_list(Context& ctx, const ListOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<std::vector<Prompt>> list = ask_for<std::vector<Prompt>>(ctx, request::prompt_list(o.limit));
  if (!list) return fail(ctx, list.status());
  print_with_context(ctx, *list, o_ctx, text_prompts(*list, o.limit, ctx.now, o_ctx.partner_name));
  return kExitOk;
}

int run_prompt_show(Context& ctx, const PromptOptions& o) {
  Result<std::string> id = prompt_id_arg(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::prompt_show(*id));
  if (!reply) return fail(ctx, reply.status());
  return print_prompt(ctx, *reply);
}

int run_prompt_answer(Context& ctx, const PromptOptions& o) {
  Result<std::string> id = prompt_id_arg(o.id);
  if (!id) return fail(ctx, id.status());
  // The question first, so the person answers what they can see.
  Result<Prompt> prompt = ask_for<Prompt>(ctx, request::prompt_show(*id));
  if (!prompt) return fail(ctx, prompt.status());
  if (prompt->mine.given)
    return fail(ctx, Status::refused("you have answered this one already; an answer is sealed as "
                                     "it was written and is not changed"));
  if (prompt->depth == 0)
    return fail(ctx, Status::invalid("that is a yes / no / maybe item: `hearth ynm answer " + *id +
                                     " yes|no|maybe`"));
  const std::string first = "Your answer to: " + prompt->text;
  Result<EntryText> text = read_entry_text(
      ctx, EntrySource{o.text, o.from_file},
      EditorIntro{"", "answer", first,
                  "It stays sealed until you have both answered; then you both see both."},
      {"prompt", "answer", *id});
  if (!text) return fail(ctx, text.status());
  if (!text->problem().is_ok()) return text->fail(ctx, text->problem());
  if (text->text().empty()) {
    text->discard();
    return fail(ctx, Status::invalid("Nothing was written, so nothing was saved."));
  }
  PromptAnswerRequest r{*id, {}, text->text(), Choice::kNone, ""};
  Result<Reply> reply = ask(ctx, request::prompt_answer(r));
  if (!reply) return text->fail(ctx, reply.status());
  text->saved(ctx);
  return print_prompt(ctx, *reply, ctx.json() ? "" : "Your answer is sealed and saved.\n");
}

int run_prompt_pass(Context& ctx, const PromptOptions& o) {
  Result<std::string> id = prompt_id_arg(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::prompt_pass(*id));
  if (!reply) return fail(ctx, reply.status());
  return print_prompt(ctx, *reply,
                      ctx.json() ? "" : "Set aside. Nothing is shown or asked of you for it.\n");
}

int run_prompt_reveal(Context& ctx, const PromptOptions& o) {
  Result<std::string> id = prompt_id_arg(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::prompt_reveal(*id));
  if (!reply) return fail(ctx, reply.status());
  return print_prompt(ctx, *reply,
                      ctx.json() ? "" : "Your answer can now be read on your partner's device.\n");
}

int run_prompt_ask(Context& ctx, const PromptAskOptions& o) {
  std::string text(trim(o.text));
  if (text.empty()) return fail(ctx, Status::invalid("write the question to ask"));
  if (Status st = model::check_text(text, model::kMaxAskText, "the question", true); !st.is_ok())
    return fail(ctx, st);
  Result<uint8_t> depth = depth_arg(o.depth, false);
  if (!depth) return fail(ctx, depth.status());
  Result<Reply> reply = ask(ctx, request::prompt_ask(text, *depth));
  if (!reply) return fail(ctx, reply.status());
  return print_prompt(ctx, *reply,
                      ctx.json() ? "" : "Asked. You both answer it blind, as any prompt.\n");
}

int run_ynm_show(Context& ctx, const YnmOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<YnmInfo> y = ask_for<YnmInfo>(ctx, request::ynm_show(o.round));
  if (!y) return fail(ctx, y.status());
  if (ctx.json()) {
    print_json(ctx, *y);
  } else {
    ctx.out << text_ynm(*y, ctx.now, o_ctx.partner_name) << std::flush;
  }
  return kExitOk;
}

int run_ynm_start(Context& ctx) {
  Result<YnmInfo> y = ask_for<YnmInfo>(ctx, request::ynm_start());
  if (!y) return fail(ctx, y.status());
  if (ctx.json()) {
    print_json(ctx, *y);
  } else {
    ctx.out << "A new round has started; the earlier ones stay readable (`hearth ynm --round "
               "ID`). Answer any item with `hearth ynm answer ITEM yes|no|maybe`, in your own "
               "time, and skip any you like.\n\n"
            << text_ynm(*y, ctx.now) << std::flush;
  }
  return kExitOk;
}

int run_ynm_answer(Context& ctx, const YnmAnswerOptions& o) {
  Result<std::string> id = prompt_id_arg(o.item);
  if (!id) return fail(ctx, id.status());
  std::string choice_text(trim(o.choice));
  for (char& c : choice_text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Choice choice;
  if (choice_text == "yes") {
    choice = Choice::kYes;
  } else if (choice_text == "no") {
    choice = Choice::kNo;
  } else if (choice_text == "maybe") {
    choice = Choice::kMaybe;
  } else {
    return fail(ctx, Status::invalid("answer yes, no or maybe"));
  }
  Result<std::string> note = parse_short_text(o.note, "the note", model::kMaxNote);
  if (!note) return fail(ctx, note.status());
  Result<Bytes> round = newest_round(ctx);
  if (!round) return fail(ctx, round.status());
  PromptAnswerRequest r{*id, *round, "", choice, *note};
  Result<Reply> reply = ask(ctx, request::prompt_answer(r));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else {
    ctx.out << "Saved, sealed. It shows only once you have both answered this item"
            << (note->empty() ? "" : "; your note stays on this device") << ".\n"
            << std::flush;
  }
  return kExitOk;
}

int run_appreciate(Context& ctx, const AppreciateOptions& o) {
  std::string text(trim(o.text));
  if (text.empty()) return fail(ctx, Status::invalid("write what you appreciate"));
  if (Status st = model::check_text(text, model::kMaxAppreciation, "an appreciation", true);
      !st.is_ok())
    return fail(ctx, st);
  Result<Reply> reply = ask(ctx, request::appreciate(text));
  if (!reply) return fail(ctx, reply.status());
  const Overview o_ctx = overview_or_empty(ctx);
  print_with_context(ctx, *reply, o_ctx, "Shared. " + where_shared_goes(o_ctx, ctx.now));
  return kExitOk;
}

int run_checkin_reply(Context& ctx, const CheckInReplyOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  std::string text(trim(o.text));
  if (o.tonight) text = "I can do that tonight.";
  if (o.tomorrow) text = "Not today, but tomorrow.";
  if (text.empty())
    return fail(ctx, Status::invalid("write a reply, or use --tonight or --tomorrow"));
  if (Status st = model::check_text(text, model::kMaxNote, "the reply", true); !st.is_ok())
    return fail(ctx, st);
  Result<Reply> reply = ask(ctx, request::need_reply(*id, text));
  if (!reply) return fail(ctx, reply.status());
  const Overview o_ctx = overview_or_empty(ctx);
  print_with_context(ctx, *reply, o_ctx, "Replied. " + where_shared_goes(o_ctx, ctx.now));
  return kExitOk;
}

int run_archive(Context& ctx, const ArchiveOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::archive(o.kind, *id, !o.undo));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else {
    ctx.out << (o.undo ? "Back in your lists.\n"
                       : "Archived on this device only: it is out of your lists, not forgotten, "
                         "and nobody is told. `--archived` on the list shows it; --undo brings "
                         "it back.\n")
            << std::flush;
  }
  return kExitOk;
}

}  // namespace hearth::client
