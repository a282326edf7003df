// boundary *: limits (one partner's own, in force at once, changed only by
// their author) and agreements (both choose; either can leave alone and at
// once). See docs/DESIGN.md §5.4.
#include <ostream>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/partner_context.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

Result<std::string> boundary_text(std::string_view raw) {
  std::string text(trim(raw));
  if (text.empty()) return Status::invalid("write the boundary as its text");
  HEARTH_TRY(model::check_text(text, model::kMaxBoundaryText, "the boundary", true));
  return text;
}

// The day after which a declined agreement may be proposed again: stored as
// the first moment it may (the start of the next day).
Result<int64_t> ask_again_after(std::string_view day, int64_t now) {
  if (day.empty()) return int64_t{0};
  std::optional<int64_t> start = local_day_start(trim(day));
  if (!start) return Status::invalid("give the day as YYYY-MM-DD, for example 2027-03-01");
  const int64_t next_day = *start + int64_t{24} * 60 * 60 * 1000;
  if (next_day <= now) return Status::invalid("that day has passed; give a day still to come");
  return next_day;
}

int state(Context& ctx, const BoundaryProposeOptions& o, bool limit) {
  Result<std::string> text = boundary_text(o.text);
  if (!text) return fail(ctx, text.status());
  Result<std::string> category = parse_short_text(o.category, "the category", model::kMaxShortText);
  if (!category) return fail(ctx, category.status());
  Result<Reply> reply = ask(ctx, limit ? request::boundary_set(*text, *category)
                                       : request::boundary_propose(*text, *category));
  if (!reply) return fail(ctx, reply.status());
  const Overview o_ctx = overview_or_empty(ctx);
  const std::string id = written_id<Boundary>(*reply, "");
  const std::string tag = id.empty() ? std::string() : " (" + id + ")";
  const std::string partner = partner_called(o_ctx);
  std::string human;
  if (limit) {
    human = "Your limit is set" + tag + " and in force now. Only you can change or retire it.\n";
    if (o_ctx.paired) human += where_shared_goes(o_ctx, ctx.now);
  } else {
    human = "Proposed" + tag + ". It is in force once " + partner + " agrees.\n";
    if (!o_ctx.paired) human += where_shared_goes(o_ctx, ctx.now);
  }
  if (!std::holds_alternative<Boundary>(*reply))
    return print_written<Boundary>(ctx, *reply, human);
  if (ctx.json()) {
    print_with_context(ctx, *reply, o_ctx, "");
  } else {
    ctx.out << human << std::flush;
  }
  return kExitOk;
}

}  // namespace

int run_boundary_propose(Context& ctx, const BoundaryProposeOptions& o) {
  return state(ctx, o, false);
}

int run_boundary_set(Context& ctx, const BoundaryProposeOptions& o) { return state(ctx, o, true); }

int run_boundary_revise(Context& ctx, const BoundaryReviseOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<std::string> text = boundary_text(o.text);
  if (!text) return fail(ctx, text.status());
  Result<Reply> reply = ask(ctx, request::boundary_revise(*id, *text));
  if (!reply) return fail(ctx, reply.status());
  const Overview o_ctx = overview_or_empty(ctx);
  const std::string partner = partner_called(o_ctx);
  const std::string shown = written_id<Boundary>(*reply, *id);
  const auto* b = std::get_if<Boundary>(&*reply);
  std::string human;
  if (b && b->kind == "limit") {
    human = "Your limit is changed (" + shown + ") and the new wording is in force now.\n";
  } else {
    // An earlier version stays in force only if the two of you agreed on one
    // (the agreement is then renegotiating); after a decline nothing is.
    human = "Revision proposed (" + shown + ").";
    if (b && b->status == "renegotiating") {
      human += " Until " + partner + " agrees to it, the version you both agreed on stays in force.";
    } else if (b) {
      human += " It is in force once " + partner + " agrees to it.";
    }
    human += "\n";
  }
  return print_written<Boundary>(ctx, *reply, human);
}

int run_boundary_respond(Context& ctx, const BoundaryRespondOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<std::string> note = parse_short_text(o.note, "the note", model::kMaxNote);
  if (!note) return fail(ctx, note.status());
  Result<int64_t> ask_again = ask_again_after(o.ask_again_after, ctx.now);
  if (!ask_again) return fail(ctx, ask_again.status());
  Bytes frame;
  std::string done;
  switch (o.action) {
    case BoundaryAction::kAgree:
      frame = request::boundary_respond(*id, Answer::kAgree, *note);
      done = "You agreed";
      break;
    case BoundaryAction::kDecline:
      frame = request::boundary_respond(*id, Answer::kDecline, *note, *ask_again);
      done = "You declined";
      break;
    case BoundaryAction::kDiscuss:
      frame = request::boundary_respond(*id, Answer::kDiscuss, *note);
      done = "You asked to talk it over";
      break;
    case BoundaryAction::kAcknowledge:
      frame = request::boundary_respond(*id, Answer::kAcknowledge, *note);
      done = "You acknowledged it";
      break;
    case BoundaryAction::kLeave:
      frame = request::boundary_withdraw(*id, *note);
      done = "You left the agreement";
      break;
    case BoundaryAction::kRetire:
      frame = request::boundary_withdraw(*id, *note);
      done = "You retired your limit";
      break;
    case BoundaryAction::kDrop:
      frame = request::boundary_drop(*id);
      done = "You took back your proposed wording";
      break;
  }
  Result<Reply> reply = ask(ctx, frame);
  if (!reply) return fail(ctx, reply.status());
  const auto* b = std::get_if<Boundary>(&*reply);
  std::string human = done + " (" + written_id<Boundary>(*reply, *id) + ").";
  if (b && b->kind == "limit" && (o.action == BoundaryAction::kLeave ||
                                  o.action == BoundaryAction::kRetire)) {
    human += " Your limit is no longer in force.";
  } else if (o.action == BoundaryAction::kLeave || o.action == BoundaryAction::kRetire) {
    human += " It is no longer in force, for either of you.";
  } else if (o.action == BoundaryAction::kAcknowledge) {
    human += " That changes nothing about it: it was in force already.";
  } else if (b && b->status == "agreed") {
    human += o.action == BoundaryAction::kDrop
                 ? " The wording you both agreed on stays in force."
                 : " It is agreed by both of you and in force.";
  }
  if (o.action == BoundaryAction::kDecline && *ask_again != 0)
    human += " It can be proposed again after " + human_day(*ask_again - 1, ctx.now) + ".";
  return print_written<Boundary>(ctx, *reply, human + "\n");
}

int run_boundary_list(Context& ctx, const ListOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<std::vector<Boundary>> list =
      ask_for<std::vector<Boundary>>(ctx, request::boundary_list(o.limit, o.all));
  if (!list) return fail(ctx, list.status());
  std::string text = text_boundaries(*list, o.limit, ctx.now, o_ctx.partner_name);
  if (!o.all && !ctx.json()) text += "Left, retired and declined ones: `hearth boundary list --all`.\n";
  print_with_context(ctx, *list, o_ctx, text);
  return kExitOk;
}

}  // namespace hearth::client
