// checkin, checkin list | share | forget | calendar. A check-in is private
// unless its author shares it, at once or later, and only its author forgets
// it.
#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "client/args.h"
#include "client/calendar.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/partner_context.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/terminal.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {

int run_checkin(Context& ctx, const CheckInOptions& o) {
  std::string capacity_text = o.capacity;
  if (capacity_text.empty()) {
    if (ctx.json() || !ctx.term.stdin_tty)
      return fail(ctx, Status::invalid("add --capacity green, yellow or red"));
    capacity_text = prompt_line("How much capacity do you have right now (green, yellow, red)? ");
  }
  Result<Capacity> capacity = parse_capacity(capacity_text);
  if (!capacity) return fail(ctx, capacity.status());
  Result<std::vector<std::string>> feelings = parse_feelings(o.feelings);
  if (!feelings) return fail(ctx, feelings.status());
  Result<std::string> need = parse_short_text(o.need, "the need", model::kMaxNote);
  if (!need) return fail(ctx, need.status());
  Result<Reply> reply =
      ask(ctx, request::check_in(CheckInRequest{*capacity, *feelings, *need, o.share}));
  if (!reply) return fail(ctx, reply.status());
  const std::string id = written_id<CheckIn>(*reply, "");
  const std::string tag = id.empty() ? std::string() : " (" + id + ")";
  // After several red days, and at most once a week, a gentle line (yours alone).
  if (*capacity == Capacity::kRed && !ctx.json()) {
    Result<CareInfo> care = ask_for<CareInfo>(ctx, request::care_line());
    if (care && care->show)
      ctx.err << kCareLine << std::flush;
  }
  if (!o.share) {
    return print_written<CheckIn>(
        ctx, *reply,
        "Check-in saved privately" + tag + "." +
            (id.empty() ? std::string("\n") : " `hearth checkin share " + id + "` shares it.\n"));
  }
  const Overview o_ctx = overview_or_empty(ctx);
  print_with_context(ctx, *reply, o_ctx,
                     "Check-in saved and shared" + tag + ". " + where_shared_goes(o_ctx, ctx.now));
  return kExitOk;
}

int run_checkin_list(Context& ctx, const ListOptions& o) {
  Overview o_ctx = overview_or_empty(ctx);
  Result<std::vector<CheckIn>> list =
      ask_for<std::vector<CheckIn>>(ctx, request::check_in_list(o.limit, o.archived));
  if (!list) return fail(ctx, list.status());
  print_with_context(ctx, *list, o_ctx, text_check_ins(*list, o.limit, ctx.now, o_ctx.partner_name));
  return kExitOk;
}

int run_checkin_share(Context& ctx, const CheckInTargetOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  Result<Reply> reply = ask(ctx, request::check_in_share(*id));
  if (!reply) return fail(ctx, reply.status());
  const Overview o_ctx = overview_or_empty(ctx);
  const std::string shown = written_id<CheckIn>(*reply, *id);
  print_with_context(ctx, *reply, o_ctx,
                     "Shared (" + shown + "). " + where_shared_goes(o_ctx, ctx.now) +
                         "`hearth checkin forget " + shown +
                         "` would delete it from both devices.\n");
  return kExitOk;
}

int run_checkin_forget(Context& ctx, const CheckInTargetOptions& o) {
  Result<std::string> id = parse_id_prefix(o.id);
  if (!id) return fail(ctx, id.status());
  if (Status st = can_confirm(ctx, o.yes); !st.is_ok()) return fail(ctx, st);
  bool was_shared = false;
  if (!o.yes) {
    // Say what is about to be forgotten, and pin the full id.
    Result<std::vector<CheckIn>> list = ask_for<std::vector<CheckIn>>(ctx, request::check_in_list(0));
    if (!list) return fail(ctx, list.status());
    const CheckIn* found = nullptr;
    for (const auto& c : *list) {
      const std::string hex = to_hex(c.id);
      if (hex.starts_with(*id) || hex.ends_with(*id) || short_id(c.id).starts_with(*id)) {
        if (found) return fail(ctx, Status::invalid("more than one check-in matches the ID " + *id +
                                                    "; type more of the ID"));
        found = &c;
      }
    }
    if (!found) return fail(ctx, Status::not_found("no check-in matches the ID " + *id));
    if (!found->mine) return fail(ctx, Status::refused("only its author can forget a check-in"));
    *id = to_hex(found->id);
    was_shared = found->shared;
    Result<bool> go = confirmed(
        ctx, false,
        "Forget the check-in of " + human_time(found->at, ctx.now) + "? It is deleted from this "
            "device" + (was_shared ? " and from the other device." : ".") +
            " This cannot be undone.");
    if (!go) return fail(ctx, go.status());
    if (!*go) {
      ctx.err << "Nothing was changed.\n" << std::flush;
      return kExitOk;
    }
  }
  Result<Reply> reply = ask(ctx, request::check_in_forget(*id));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
    return kExitOk;
  }
  ctx.out << "Forgotten: its words are gone from this device.\n";
  if (was_shared || o.yes)
    ctx.out << "If it was shared, the other device deletes its copy when the two next connect.\n";
  ctx.out << std::flush;
  return kExitOk;
}

namespace {

// ANSI colours only for a terminal, and never when NO_COLOR is set to
// anything but the empty string (no-color.org).
bool use_colour(const Context& ctx) {
  const char* no_color = std::getenv("NO_COLOR");
  return ctx.term.stdout_tty && (no_color == nullptr || *no_color == '\0');
}

}  // namespace

int run_checkin_calendar(Context& ctx, const CalendarOptions& o) {
  if (o.weeks < 1 || o.weeks > kMaxCalendarWeeks)
    return fail(ctx, Status::invalid("--weeks takes 1 to 52: the weeks to show, the last one "
                                     "holding today"));
  const Overview o_ctx = overview_or_empty(ctx);
  // The check-ins of this device's lists (archived ones stay out, as there).
  Result<std::vector<CheckIn>> list =
      ask_for<std::vector<CheckIn>>(ctx, request::check_in_list(0, false));
  if (!list) return fail(ctx, list.status());
  const bool partner_row = o_ctx.paired || std::any_of(list->begin(), list->end(),
                                                       [](const CheckIn& c) { return !c.mine; });
  const Calendar calendar = build_calendar(*list, ctx.now, o.weeks, partner_row);
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("calendar");
    write_calendar(w, calendar, o_ctx.partner_name);
    w.key("partner_pause");
    write_pause(w, o_ctx.partner_pause);
    w.key("waiting").value(static_cast<uint64_t>(o_ctx.waiting));
    w.key("paired").value(o_ctx.paired);
    w.end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  std::string before = text_overview(o_ctx, ctx.now);
  if (!before.empty()) before += '\n';
  ctx.out << before << calendar_text(calendar, partner_called(o_ctx), use_colour(ctx))
          << std::flush;
  return kExitOk;
}

}  // namespace hearth::client
