// practice list | start | join | stop | stage: practices alone or together
// (docs/DESIGN.md §5.7). Together, both pacers begin at the instant the
// joining device chose, each on its own corrected clock; either partner can
// stop at any moment and the other sees only that it ended.
#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/json.h"
#include "client/pacer.h"
#include "client/partner_context.h"
#include "client/practices.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/terminal.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(200);

Result<PracticeInfo> current(Context& ctx) {
  return ask_for<PracticeInfo>(ctx, request::practice_current());
}

// "5-5" or "4-6": seconds in, then out.
Status parse_pattern(std::string_view text, int& in, int& out) {
  if (text.empty()) return Status::ok();
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return Status::invalid("give the pattern as IN-OUT seconds, e.g. 4-6");
  try {
    in = std::stoi(std::string(text.substr(0, dash)));
    out = std::stoi(std::string(text.substr(dash + 1)));
  } catch (...) {
    return Status::invalid("give the pattern as IN-OUT seconds, e.g. 4-6");
  }
  if (in < 2 || in > 10 || out < 2 || out > 12)
    return Status::invalid("a breath is 2 to 10 seconds in and 2 to 12 out");
  return Status::ok();
}

void intro(Context& ctx, const PracticeText& p, int minutes, int stage) {
  if (ctx.json()) return;
  ctx.out << p.title << " — " << p.purpose << "\n";
  ctx.out << "About " << human_minutes(static_cast<unsigned>(minutes)) << ".\n\n";
  for (auto step : p.steps) ctx.out << "  · " << step << "\n";
  if (stage > 0 && static_cast<size_t>(stage) <= p.stages.size()) {
    const auto& s = p.stages[static_cast<size_t>(stage - 1)];
    ctx.out << "\nStage " << stage << ": " << s.title << "\n";
    for (auto step : s.steps) ctx.out << "  · " << step << "\n";
  }
  ctx.out << "\n" << kStoppingIsFine << "\n\n" << std::flush;
}

// The couple's stop word, shown before a practice of touch.
void show_stop_word(Context& ctx) {
  if (ctx.json()) return;
  Result<ConfigEntry> word = ask_for<ConfigEntry>(ctx, request::config_get("stop-word"));
  if (word && !word->value.empty()) {
    ctx.out << "Your stop word: " << terminal_safe(word->value, false)
            << ". Saying it, or just stopping, ends it at once.\n\n";
  } else {
    ctx.out << "You have no stop word yet (`hearth config set stop-word WORD`). Stopping needs "
               "no word: say stop, or just stop.\n\n";
  }
  ctx.out << std::flush;
}

Result<std::optional<Capacity>> capacity_check(Context& ctx, const std::string& given) {
  std::string text = given;
  if (text.empty()) {
    if (ctx.json() || !ctx.term.stdin_tty)
      return Status::invalid("a practice of touch begins with a check-in: add --capacity green, "
                             "yellow or red");
    text = prompt_line("Before you begin: how much capacity do you have (green, yellow, red)? ");
  }
  HEARTH_ASSIGN_OR_RETURN(Capacity c, parse_capacity(text));
  return std::optional<Capacity>(c);
}

const char* kRedMessage =
    "Thank you for saying so. Not today is a good answer, and it needs no reason.\n"
    "If you like, something gentler: `hearth practice start breathe` (alone or --together),\n"
    "or simply rest. The practice will be here another day.\n";

// Waits for the partner to join (or the session to end); prints the JSON
// document of each change with --json.
Result<PracticeInfo> wait_for_join(Context& ctx, PracticeInfo p) {
  while (!p.joined && !p.over) {
    std::this_thread::sleep_for(kPoll);
    HEARTH_ASSIGN_OR_RETURN(PracticeInfo now, current(ctx));
    if (now.id != p.id) {
      p.over = true;  // another session began: this one is over
      break;
    }
    p = std::move(now);
  }
  return p;
}

// Runs a joined session to its end: the pacer, or a staged practice's
// checks and steps. Returns the exit code.
int run_together(Context& ctx, const PracticeText& text, PracticeInfo p, const Overview& o) {
  (void)o;
  const bool red = p.my_check == "red" || p.partner_check == "red";
  if (!text.stages.empty() && red) {
    if (!p.stopped) (void)ask(ctx, request::practice_stop());
    ctx.out << (ctx.json() ? "{\"ended\":\"not_today\"}\n" : kRedMessage) << std::flush;
    return kExitOk;
  }
  if (p.stopped) {
    ctx.out << (ctx.json() ? std::string("{\"ended\":\"") + (p.stopped_by_me ? "you" : "partner") +
                                 "\"}\n"
                           : std::string("The practice has ended.\n"))
            << std::flush;
    return kExitOk;
  }
  const Bytes id = p.id;
  auto stopped = [&ctx, &id]() {
    Result<PracticeInfo> now = current(ctx);
    return !now || now->id != id || now->stopped;
  };
  if (!text.stages.empty()) {
    // Both check in; it begins only if neither is red.
    while ((p.partner_check.empty() || p.my_check.empty()) && !p.stopped) {
      std::this_thread::sleep_for(kPoll);
      Result<PracticeInfo> now = current(ctx);
      if (!now || now->id != id) return kExitOk;
      p = std::move(*now);
    }
    if (p.my_check == "red" || p.partner_check == "red" || p.stopped)
      return run_together(ctx, text, p, o);
    show_stop_word(ctx);
    if (!ctx.json()) ctx.out << "You are both ready. Take your time.\n" << std::flush;
  }
  PacerOptions opt;
  opt.start_ms = p.start_at;
  opt.minutes = p.minutes;
  opt.in_seconds = p.in_seconds;
  opt.out_seconds = p.out_seconds;
  opt.json = ctx.json();
  opt.animate = !ctx.json() && ctx.term.stdout_tty;
  PacerEnd end;
  if (text.paced) {
    end = run_pacer(ctx.out, opt, stopped);
  } else {
    // Not paced: the session lasts its minutes, or until either stops.
    PacerOptions quiet = opt;
    quiet.json = false;
    quiet.animate = false;
    std::ostringstream ignored;
    end = run_pacer(ignored, quiet, stopped);
  }
  if (end == PacerEnd::kInterrupted) (void)ask(ctx, request::practice_stop());
  if (ctx.json()) {
    Result<PracticeInfo> last = current(ctx);
    ctx.out << "{\"ended\":\"" << (end == PacerEnd::kDone ? "done" : end == PacerEnd::kStopped ? "partner" : "you")
            << "\"}\n"
            << std::flush;
    (void)last;
    return kExitOk;
  }
  if (end == PacerEnd::kStopped) {
    ctx.out << "\nThe practice has ended.\n";
  } else {
    ctx.out << "\nThat is the end of it. Thank you for being there.\n";
  }
  if (!text.stages.empty())
    ctx.out << "If you want to note how it was, just for you: `hearth reflect add`.\n";
  ctx.out << std::flush;
  return kExitOk;
}

int run_alone(Context& ctx, const PracticeText& text, int minutes, int in, int out) {
  intro(ctx, text, minutes, 0);
  if (text.paced) {
    PacerOptions opt;
    opt.start_ms = now_ms() + 3000;
    opt.minutes = minutes;
    opt.in_seconds = in;
    opt.out_seconds = out;
    opt.json = ctx.json();
    opt.animate = !ctx.json() && ctx.term.stdout_tty;
    const PacerEnd end = run_pacer(ctx.out, opt, [] { return false; });
    if (!ctx.json())
      ctx.out << (end == PacerEnd::kDone ? "\nThat is the end of it. Take a moment before you go on.\n"
                                         : "\nStopped. That is fine.\n")
              << std::flush;
    return kExitOk;
  }
  // Steps one at a time: Enter for the next on a terminal.
  if (ctx.term.stdin_tty && !ctx.json()) {
    for (auto step : text.steps) {
      ctx.out << step << "\n" << std::flush;
      if (prompt_line("  (Enter for the next; Ctrl-C stops) ").empty() && std::cin.eof()) break;
    }
    ctx.out << "That is all. You did it your own way, and that is right.\n" << std::flush;
  }
  return kExitOk;
}

}  // namespace

int run_practice_list(Context& ctx) {
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("practices").begin_array();
    for (const PracticeText& p : practices()) {
      w.begin_object();
      w.key("name").value(p.name);
      w.key("title").value(p.title);
      w.key("purpose").value(p.purpose);
      w.key("minutes").value(static_cast<int64_t>(p.minutes));
      w.key("together").value(p.together);
      w.key("stages").value(static_cast<int64_t>(p.stages.size()));
      w.end_object();
    }
    w.end_array().end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  for (const PracticeText& p : practices()) {
    ctx.out << p.name << " — " << p.title << "\n    " << p.purpose << "\n    About "
            << human_minutes(static_cast<unsigned>(p.minutes)) << (p.together ? "; alone or --together" : "; alone") << ".";
    if (!p.stages.empty())
      ctx.out << " In " << p.stages.size() << " stages: you go on to the next when you both agree.";
    ctx.out << "\n\n";
  }
  ctx.out << kStoppingIsFine << "\n" << std::flush;
  return kExitOk;
}

int run_practice_start(Context& ctx, const PracticeStartOptions& o) {
  const PracticeText* text = find_practice(o.name);
  if (text == nullptr)
    return fail(ctx, Status::invalid("there is no practice called `" + o.name +
                                     "`; `hearth practice list` shows them"));
  int minutes = o.minutes > 0 ? o.minutes : text->minutes;
  if (minutes < 1 || minutes > 60) return fail(ctx, Status::invalid("a practice lasts 1 to 60 minutes"));
  int in = 5, out = 5;
  if (Status st = parse_pattern(o.pattern, in, out); !st.is_ok()) return fail(ctx, st);
  if (!o.together) {
    if (!text->stages.empty())
      return fail(ctx, Status::invalid("this practice is for two: add --together"));
    return run_alone(ctx, *text, minutes, in, out);
  }
  if (!text->together) return fail(ctx, Status::invalid("this practice is done alone"));
  int stage = 0;
  std::optional<Capacity> check;
  if (!text->stages.empty()) {
    stage = o.stage > 0 ? o.stage : 1;
    if (static_cast<size_t>(stage) > text->stages.size())
      return fail(ctx, Status::invalid("this practice has " + std::to_string(text->stages.size()) +
                                       " stages"));
    Result<std::optional<Capacity>> c = capacity_check(ctx, o.capacity);
    if (!c) return fail(ctx, c.status());
    check = *c;
    if (*check == Capacity::kRed) {
      if (!ctx.json()) ctx.out << kRedMessage << std::flush;
      return kExitOk;
    }
  }
  const Overview ov = overview_or_empty(ctx);
  PracticeInviteRequest r{std::string(text->name), static_cast<uint16_t>(minutes),
                          static_cast<uint8_t>(in), static_cast<uint8_t>(out),
                          static_cast<uint8_t>(stage), check};
  Result<PracticeInfo> p = ask_for<PracticeInfo>(ctx, request::practice_invite(r));
  if (!p) return fail(ctx, p.status());
  if (ctx.json()) {
    ctx.out << json_document(*p, 0) << std::flush;
  } else {
    intro(ctx, *text, minutes, stage);
    ctx.out << "Invited " << partner_called(ov) << ". Waiting for them to join (Ctrl-C stops; "
            << "the invitation lasts 10 minutes).\n"
            << std::flush;
  }
  Result<PracticeInfo> joined = wait_for_join(ctx, *p);
  if (!joined) return fail(ctx, joined.status());
  if (!joined->joined) {
    if (!ctx.json()) ctx.out << "Nobody joined this time. That is all right.\n" << std::flush;
    return kExitOk;
  }
  return run_together(ctx, *text, *joined, ov);
}

int run_practice_join(Context& ctx, const PracticeJoinOptions& o) {
  Result<PracticeInfo> open = current(ctx);
  if (!open) return fail(ctx, open.status());
  if (open->id.empty() || open->invited_by_me || open->joined)
    return fail(ctx, Status::not_found("there is no invitation to join just now"));
  const PracticeText* text = find_practice(open->practice);
  if (text == nullptr)
    return fail(ctx, Status::invalid("this version of Hearth does not know the practice `" +
                                     open->practice + "`"));
  std::optional<Capacity> check;
  if (!text->stages.empty()) {
    Result<std::optional<Capacity>> c = capacity_check(ctx, o.capacity);
    if (!c) return fail(ctx, c.status());
    check = *c;
  }
  const Overview ov = overview_or_empty(ctx);
  Result<PracticeInfo> p = ask_for<PracticeInfo>(ctx, request::practice_join(check));
  if (!p) return fail(ctx, p.status());
  if (ctx.json()) {
    ctx.out << json_document(*p, 0) << std::flush;
  } else {
    intro(ctx, *text, p->minutes, p->stage);
  }
  return run_together(ctx, *text, *p, ov);
}

int run_practice_stop(Context& ctx) {
  Result<PracticeInfo> p = ask_for<PracticeInfo>(ctx, request::practice_stop());
  if (!p) return fail(ctx, p.status());
  if (ctx.json()) {
    print_json(ctx, *p);
  } else {
    ctx.out << (p->id.empty() ? "No practice was going on.\n" : "Ended. No reason is needed.\n")
            << std::flush;
  }
  return kExitOk;
}

int run_practice_stage(Context& ctx, const PracticeStageOptions& o) {
  const PracticeText* text = find_practice(o.name);
  if (text == nullptr || text->stages.empty())
    return fail(ctx, Status::invalid("only a practice in stages has a next stage"));
  if (o.stage < 2 || static_cast<size_t>(o.stage) > text->stages.size())
    return fail(ctx, Status::invalid("its stages are 2 to " + std::to_string(text->stages.size()) +
                                     " (stage 1 is always open)"));
  Result<PracticeInfo> p = ask_for<PracticeInfo>(
      ctx, request::practice_stage(o.name, static_cast<uint8_t>(o.stage)));
  if (!p) return fail(ctx, p.status());
  if (ctx.json()) {
    print_json(ctx, *p);
  } else {
    ctx.out << (p->stage_open ? "You have both agreed: stage " + std::to_string(o.stage) +
                                    " is open, whenever you both want it.\n"
                              : "Noted. Stage " + std::to_string(o.stage) +
                                    " opens once your partner agrees too; there is no hurry, and "
                                    "staying where you are is fine.\n")
            << std::flush;
  }
  return kExitOk;
}

}  // namespace hearth::client
