// pair invite|join|add, unpair, peer add|remove|list.
#include <cctype>
#include <ostream>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/partner_context.h"
#include "client/terminal.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "crypto/pairing_words.h"

namespace hearth::client {
namespace {

// The port hearthd listens on, from `status`, for the pairing instructions;
// empty when unknown.
std::string listening_port(Context& ctx) {
  Result<StatusInfo> status = ask_for<StatusInfo>(ctx, request::status());
  if (!status) return {};
  const size_t colon = status->listening.rfind(':');
  if (colon == std::string::npos) return {};
  return terminal_safe(status->listening.substr(colon + 1), false);
}

std::string paired_text(const PairedInfo& p) {
  std::string out = "Paired with ";
  out += p.name.empty() ? "your partner" : terminal_safe(p.name, false);
  out += " (" + terminal_safe(p.device_id, false) + ").\n";
  if (!p.confirmation.empty()) {
    out += "Confirmation: " + terminal_safe(p.confirmation, false) + "\n";
    out +=
        "Check that your partner's screen shows the same words. If it does not, run\n"
        "`hearth unpair` and pair again.\n";
  }
  return out;
}

// Whether what was shared while unpaired goes to the partner about to be
// paired (docs/DESIGN.md §1.7, §7.3): only when its author says so, by
// --send-earlier or "yes" on a terminal. The default is no.
bool send_earlier(Context& ctx, const SendEarlierOptions& o) {
  if (o.send_earlier) return true;
  if (o.keep_earlier) return false;
  const Overview before = overview_or_empty(ctx);
  if (before.paired || before.shared_while_unpaired == 0) return false;
  const std::string what = count_of(before.shared_while_unpaired, "entry", "entries");
  if (ctx.json() || !ctx.term.stdin_tty) {
    ctx.err << "The " << what << " you shared while not paired stay on this device; "
            << "--send-earlier would send them too.\n"
            << std::flush;
    return false;
  }
  return confirm("While not paired, you shared " + what +
                 ". Send them to the device you are pairing with? They stay here either way. "
                 "[y/N] ");
}

}  // namespace

int run_pair_invite(Context& ctx, const PairInviteOptions& o) {
  const bool earlier = send_earlier(ctx, o.earlier);
  const std::string port = ctx.json() ? std::string() : listening_port(ctx);
  Status failure = Status::ok();
  bool paired = false;
  bool shown = false;
  Status streamed = ctx.daemon.stream(request::pair_invite(earlier), [&](Reply&& reply) {
    if (const auto* error = std::get_if<DaemonError>(&reply)) {
      failure = status_of(*error);
      return false;
    }
    if (const auto* invite = std::get_if<InviteInfo>(&reply)) {
      if (ctx.json()) {
        ctx.out << json_document(reply, 0) << std::flush;
        return true;
      }
      if (!invite->notice.empty()) {
        // At once: an attempt starts, or a joiner was turned away.
        std::string line = terminal_safe(invite->notice, false);
        if (!line.empty())
          line[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(line[0])));
        ctx.out << line << ".\n" << std::flush;
        return true;
      }
      if (shown) {
        // The invite again: an attempt failed and the invite goes on.
        ctx.out << "Someone tried a code that does not match. "
                << count_of(static_cast<uint64_t>(invite->attempts_left), "attempt", "attempts")
                << " left. Waiting for your partner…\n"
                << std::flush;
        return true;
      }
      shown = true;
      const std::string code = terminal_safe(invite->code, false);
      ctx.out << code << "\n\n"
              << "Give this code to your partner. On their computer they run:\n"
              << "  hearth pair join\n"
              << "and type the code when it asks. On the same network it finds this computer\n"
              << "by itself; if not, add --address HOST:" << (port.empty() ? "PORT" : port)
              << ", where HOST is\nthis computer's address on your network.\n";
      if (invite->expires_at)
        ctx.out << "The code works until " << human_clock(invite->expires_at, now_ms())
                << ", for 3 attempts. Waiting for your partner…\n";
      ctx.out << std::flush;
      return true;
    }
    if (const auto* done = std::get_if<PairedInfo>(&reply)) {
      paired = true;
      ctx.out << (ctx.json() ? json_document(reply, 0) : "\n" + paired_text(*done)) << std::flush;
      return false;
    }
    failure = Status::corrupt("hearthd sent something unexpected during pairing");
    return false;
  });
  if (!failure.is_ok()) return fail(ctx, failure);
  if (!streamed.is_ok()) return fail(ctx, streamed);
  if (!paired) return fail(ctx, Status::internal("pairing ended without a result"));
  return kExitOk;
}

int run_pair_join(Context& ctx, const PairJoinOptions& o) {
  // Without --address hearthd finds the invite on the local network
  // (schema/PROTOCOL.md §5.5).
  Result<std::string> address = o.address.empty() ? Result<std::string>(std::string())
                                                  : parse_address(o.address);
  if (!address) return fail(ctx, address.status());
  // Asked for rather than given as an argument, the code stays off the
  // command line, which every user of this computer can read.
  std::string typed = o.code;
  if (trim(typed).empty())
    typed = prompt_line(ctx.term.stdin_tty ? "The code your partner's screen shows: " : "");
  if (trim(typed).empty())
    return fail(ctx, Status::invalid("give the code your partner's screen shows"));
  // Checked here too, so a typo is named (with the closest word) before any network step.
  Result<std::string> code = crypto::normalize_pairing_code(typed);
  if (!code) return fail(ctx, code.status());
  const bool earlier = send_earlier(ctx, o.earlier);
  if (!ctx.json()) {
    if (address->empty()) {
      ctx.err << "Looking for your partner's invite on this network…\n" << std::flush;
    } else {
      ctx.err << "Pairing with " << *address << "…\n" << std::flush;
    }
  }
  Result<PairedInfo> paired =
      ask_for<PairedInfo>(ctx, request::pair_join(*code, *address, earlier), Wait::kLong);
  if (!paired) return fail(ctx, paired.status());
  if (ctx.json()) {
    print_json(ctx, *paired);
  } else {
    ctx.out << paired_text(*paired) << std::flush;
  }
  return kExitOk;
}

int run_pair_add(Context& ctx, const PairAddOptions& o) {
  Result<std::string> id = parse_device_id_arg(o.device_id);
  if (!id) return fail(ctx, id.status());
  std::string address;
  if (!o.address.empty()) {
    Result<std::string> parsed = parse_address(o.address);
    if (!parsed) return fail(ctx, parsed.status());
    address = *parsed;
  }
  const bool earlier = send_earlier(ctx, o.earlier);
  Result<Reply> reply = ask(ctx, request::pair_add(*id, address, earlier));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
    return kExitOk;
  }
  if (const auto* paired = std::get_if<PairedInfo>(&*reply)) {
    ctx.out << paired_text(*paired);
  } else {
    ctx.out << "Paired with " << *id << ".\n";
  }
  Result<crypto::KeyFileInfo> mine = crypto::read_key_file_info(ctx.paths.keys());
  if (mine) {
    ctx.out << "If your partner has not done so yet, they run on their computer:\n"
            << "  hearth pair add " << crypto::format_device_id(mine->public_key) << "\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_unpair(Context& ctx, const UnpairOptions& o) {
  std::string question =
      "Sync with your partner stops at once, and this device stops trusting theirs.\n"
      "Their device keeps everything you shared with it until now: Hearth cannot reach it.\n";
  question += o.erase_shared
                  ? "Every shared entry on this device, yours and theirs, is erased too; your "
                    "private entries stay.\nUnpair and erase?"
                  : "Everything on this device stays readable here, your partner's shared "
                    "entries too.\nUnpair?";
  Result<bool> go = confirmed(ctx, o.yes, question);
  if (!go) return fail(ctx, go.status());
  if (!*go) {
    ctx.err << "Nothing was changed.\n" << std::flush;
    return kExitOk;
  }
  Result<Reply> reply = ask(ctx, request::unpair(o.erase_shared));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
    return kExitOk;
  }
  ctx.out << "Unpaired. Sync has stopped, and this device no longer accepts your former "
             "partner's device.\n";
  if (const auto* info = std::get_if<UnpairInfo>(&*reply)) {
    if (o.erase_shared)
      ctx.out << "Erased " << count_of(info->erased_shared, "shared entry", "shared entries")
              << " from this device.\n";
    if (!info->partner_still_holds.empty())
      ctx.out << terminal_safe(info->partner_still_holds) << "\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_peer_add(Context& ctx, const PeerOptions& o) {
  Result<std::string> address = parse_address(o.address);
  if (!address) return fail(ctx, address.status());
  Result<Reply> reply = ask(ctx, request::peer_add(*address));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else {
    ctx.out << "Added " << *address << ". Hearth tries it when connecting to your partner.\n"
            << std::flush;
  }
  return kExitOk;
}

int run_peer_remove(Context& ctx, const PeerOptions& o) {
  Result<std::string> address = parse_address(o.address);
  if (!address) return fail(ctx, address.status());
  Result<Reply> reply = ask(ctx, request::peer_remove(*address));
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else {
    ctx.out << "Removed " << *address << ".\n" << std::flush;
  }
  return kExitOk;
}

int run_peer_list(Context& ctx) {
  Result<std::vector<PeerInfo>> peers = ask_for<std::vector<PeerInfo>>(ctx, request::peer_list());
  if (!peers) return fail(ctx, peers.status());
  if (ctx.json()) {
    print_json(ctx, *peers);
  } else {
    ctx.out << text_peers(*peers) << std::flush;
  }
  return kExitOk;
}

}  // namespace hearth::client
