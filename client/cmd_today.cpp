// today, help crisis: the day's page (docs/DESIGN.md §5.8) and care (§5.9).
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include "client/command_util.h"
#include "client/commands.h"
#include "client/json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "util/day.h"

namespace hearth::client {
namespace {

// Written for Hearth; a person can keep their own list instead (see below).
constexpr const char* kCrisisText =
    "If you or someone near you is in danger right now, call your local emergency number\n"
    "(112 in the EU and many countries, 911 in the US and Canada, 999 in the UK, 000 in\n"
    "Australia).\n"
    "\n"
    "To talk with someone, free and in confidence:\n"
    "  · findahelpline.com lists helplines by country, with their hours.\n"
    "  · In the US, call or text 988 (the Suicide & Crisis Lifeline).\n"
    "  · In the UK and Ireland, call Samaritans on 116 123.\n"
    "  · Befrienders Worldwide (befrienders.org) lists emotional support centres.\n"
    "\n"
    "A doctor, a therapist or someone you trust can help you find local support too.\n"
    "Hearth does not replace any of them.\n";

}  // namespace

int run_today(Context& ctx) {
  Result<TodayInfo> t = ask_for<TodayInfo>(ctx, request::today(local_day(ctx.now), true));
  if (!t) return fail(ctx, t.status());
  if (ctx.json()) {
    print_json(ctx, *t);
  } else {
    ctx.out << text_today(*t, ctx.now) << std::flush;
  }
  return kExitOk;
}

namespace {

// Where a person keeps their own list: their configuration folder, not
// Hearth's home (which holds no plaintext words).
std::string own_crisis_file() {
  if (const char* d = std::getenv("XDG_CONFIG_HOME"); d && *d) return std::string(d) + "/hearth/crisis.txt";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/hearth/crisis.txt";
  return {};
}

}  // namespace

int run_help_crisis(Context& ctx) {
  const std::string own = own_crisis_file();
  std::ifstream in(own);
  std::string text = kCrisisText;
  bool theirs = false;
  if (in) {
    std::stringstream s;
    s << in.rdbuf();
    if (s.str().size() <= 64 * 1024 && !trim(s.str()).empty()) {
      text = terminal_safe(s.str(), true);
      theirs = true;
    }
  }
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("crisis").begin_object();
    w.key("text").value(text).key("source").value(theirs ? own : "hearth");
    w.end_object().end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  ctx.out << text;
  if (!theirs)
    ctx.out << "\nTo keep your own list (numbers near you, people you trust), write it in\n  "
            << own << "\nand this command shows it instead.\n";
  ctx.out << std::flush;
  return kExitOk;
}

}  // namespace hearth::client
