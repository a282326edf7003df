#include "client/partner_context.h"

#include <ostream>

#include "client/command_util.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {

Overview overview_or_empty(Context& ctx) {
  Result<Overview> o = ask_for<Overview>(ctx, request::overview());
  return o ? *o : Overview{};
}

std::string partner_called(const Overview& o) {
  return o.partner_name.empty() ? std::string("your partner")
                                : terminal_safe(o.partner_name, false);
}

std::string where_shared_goes(const Overview& o, int64_t now) {
  if (!o.paired) {
    return "You are not paired, so it stays on this device for now. When you pair, Hearth "
           "asks whether to send it.\n";
  }
  const std::string partner = partner_called(o);
  if (o.partner_pause.active) {
    return capitalized(partner) + " is pausing until " + human_clock(o.partner_pause.until, now) +
           "; they will see this afterwards.\n";
  }
  return "It reaches " + partner + "'s device when the two connect.\n";
}

void print_with_context(Context& ctx, const Reply& reply, const Overview& o,
                        const std::string& text) {
  if (ctx.json()) {
    ctx.out << json_document(reply, 2, &o) << std::flush;
    return;
  }
  const bool list = std::holds_alternative<std::vector<Reflection>>(reply) ||
                    std::holds_alternative<std::vector<Boundary>>(reply) ||
                    std::holds_alternative<std::vector<CheckIn>>(reply);
  std::string before = list ? text_overview(o, ctx.now) : std::string();
  if (!before.empty()) before += '\n';
  ctx.out << before << text << std::flush;
}

}  // namespace hearth::client
