// init, id, status, log, watch, sync, pause, resume, config, rebuild.
#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "client/args.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/json.h"
#include "client/partner_context.h"
#include "client/reconnecting_stream.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"
#include "crypto/identity.h"
#include "config/daemon_config.h"
#include "crypto/keyfile.h"
#include "store/home.h"

namespace hearth::client {
namespace {

constexpr auto kSyncPollInterval = std::chrono::milliseconds(100);

Result<std::string> parse_name(std::string_view raw) {
  std::string_view name = trim(raw);
  HEARTH_TRY(model::check_name(name));
  if (terminal_safe(name, false) != name)
    return Status::invalid("the name can hold letters, digits and spaces, on one line");
  return std::string(name);
}

// The passphrase for `init`: none, from a file, or asked twice on a terminal.
Result<std::optional<Secret>> init_passphrase(Context& ctx, const InitOptions& o) {
  if (o.no_passphrase && !o.passphrase_file.empty())
    return Status::invalid("use either --no-passphrase or --passphrase-file, not both");
  if (o.no_passphrase) return std::optional<Secret>();
  if (!o.passphrase_file.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Secret s, read_passphrase_file(o.passphrase_file));
    warn_if_short(s, [&ctx](std::string_view line) { ctx.err << line << "\n" << std::flush; });
    return std::optional<Secret>(std::move(s));
  }
  if (!ctx.term.stdin_tty)
    return Status::invalid(
        "no terminal to ask for a passphrase: pass --passphrase-file FILE, or --no-passphrase "
        "to keep the keys unsealed");
  const PassphraseIo io = ctx.passphrase_io();
  io.say(
      "Choose a passphrase. It protects your keys on this computer; without it your\n"
      "entries cannot be read, and it cannot be recovered if forgotten.");
  HEARTH_ASSIGN_OR_RETURN(Secret s, ask_new_passphrase(io));
  return std::optional<Secret>(std::move(s));
}

void print_ok_or(Context& ctx, const Reply& reply, const std::string& text) {
  if (ctx.json()) {
    print_json(ctx, reply);
  } else {
    ctx.out << text << std::flush;
  }
}

}  // namespace

int run_init(Context& ctx, const InitOptions& o) {
  Result<std::string> name = parse_name(o.name);
  if (!name) return fail(ctx, name.status());
  if (path_exists(ctx.paths.keys()))
    return fail(ctx, Status::refused("Hearth is already set up in " + ctx.paths.home +
                                     "; `hearth id` shows its device ID"));
  Result<std::optional<Secret>> passphrase = init_passphrase(ctx, o);
  if (!passphrase) return fail(ctx, passphrase.status());
  const Secret* secret = passphrase->has_value() ? &passphrase->value() : nullptr;

  Result<Key32> key = store::init_home(ctx.paths, store::InitOptions{*name, secret});
  if (!key) return fail(ctx, key.status());
  const std::string id = crypto::format_device_id(*key);

  if (ctx.json()) {
    JsonWriter w;
    w.begin_object();
    w.key("device_id").value(id);
    w.key("home").value(ctx.paths.home);
    w.key("sealed").value(secret != nullptr);
    w.end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  ctx.out << "Hearth is set up in " << ctx.paths.home << ".\n\n"
          << "Your device ID:\n  " << id << "\n\n"
          << "Next steps:\n"
          << "  1. Start the daemon: hearthd --home " << ctx.paths.home
          << " &   (or: systemctl --user start hearthd)\n";
  if (secret) {
    ctx.out << "  2. Unlock it: hearth unlock\n"
            << "  3. ";
  } else {
    ctx.out << "  2. ";
  }
  ctx.out << "Pair with your partner: one of you runs `hearth pair invite` and the other\n"
          << "     `hearth pair join` (it asks for the code); or share\n"
          << "     your device IDs and both run `hearth pair add ID`.\n\n";
  if (!secret) {
    ctx.out << "Your keys are stored without a passphrase: anyone who can read files in\n"
            << ctx.paths.home << " can read your entries.\n\n";
  }
  ctx.out << "Hearth does not replace a therapist or crisis support, and it is not meant for\n"
          << "relationships where abuse is ongoing.\n"
          << std::flush;
  return kExitOk;
}

int run_id(Context& ctx) {
  Result<crypto::KeyFileInfo> info = crypto::read_key_file_info(ctx.paths.keys());
  if (!info) {
    if (info.status().code() == Code::kNotFound)
      return fail(ctx, Status::not_found("Hearth is not set up in " + ctx.paths.home +
                                         " yet; run `hearth init` first"));
    return fail(ctx, info.status());
  }
  const std::string id = crypto::format_device_id(info->public_key);
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("device_id").value(id).end_object();
    ctx.out << w.finish() << std::flush;
  } else {
    ctx.out << id << "\n" << std::flush;
  }
  return kExitOk;
}

int run_status(Context& ctx) {
  Result<StatusInfo> status = ask_for<StatusInfo>(ctx, request::status());
  if (!status) return fail(ctx, status.status());
  print_ok_or(ctx, *status, text_status(*status, ctx.now));
  if (!ctx.json() && !status->locked)
    ctx.out << reachability_note(status->listening, status->partner.paired) << "\n" << std::flush;
  // Shown in full either way, but a locked daemon is exit 2 ("not running or
  // locked", docs/DESIGN.md §8.1), so scripts can tell without reading the output.
  return status->locked ? kExitUnavailable : kExitOk;
}

int run_log(Context& ctx, const ListOptions& o) {
  Result<std::vector<LogEntry>> log = ask_for<std::vector<LogEntry>>(ctx, request::log(o.limit));
  if (!log) return fail(ctx, log.status());
  print_ok_or(ctx, *log, text_log(*log, o.limit));
  return kExitOk;
}

int run_watch(Context& ctx) { return run_watch(ctx, real_pacing()); }

int run_watch(Context& ctx, const Pacing& pacing) {
  if (!ctx.json() && ctx.term.stderr_tty)
    ctx.err << "Watching for changes. Ctrl-C stops.\n" << std::flush;
  std::string partner = ctx.json() ? std::string() : overview_or_empty(ctx).partner_name;
  FollowRules rules;
  rules.end_on_lock = true;  // locking Hearth ends what shows it
  FollowHooks hooks;
  hooks.update = [&](const Update& update) {
    if (ctx.json()) {
      ctx.out << json_document(Reply{update}, 0) << std::flush;
    } else {
      std::string text = text_update(update, pacing.now_ms(), partner);
      if (!text.empty()) ctx.out << text << "\n" << std::flush;
    }
    return true;
  };
  hooks.gone = [&](Gone why, bool) {
    ctx.err << (why == Gone::kLocked ? "hearthd is locked; watching again once it is unlocked.\n"
                                     : "hearthd stopped; watching again when it is back.\n")
            << std::flush;
  };
  hooks.back = [&] {
    ctx.err << "hearthd is back; watching again.\n" << std::flush;
    if (!ctx.json()) partner = overview_or_empty(ctx).partner_name;
  };
  Status followed = follow_updates(ctx.daemon, rules, hooks, pacing);
  if (!followed.is_ok()) return fail(ctx, followed);
  return kExitOk;
}

int run_sync(Context& ctx, const SyncOptions& o) {
  const bool show_progress = o.wait && !ctx.json() && ctx.term.stdout_tty;
  size_t last_width = 0;
  bool first = true;
  for (;;) {
    // The first request asks the daemon to dial now; the rest only look.
    Result<SyncInfo> sync = ask_for<SyncInfo>(
        ctx, first ? request::sync_now() : request::sync_progress());
    first = false;
    if (!sync) {
      if (last_width) ctx.out << "\n";
      return fail(ctx, sync.status());
    }
    if (!o.wait || sync->caught_up) {
      if (last_width) ctx.out << "\r" << std::string(last_width, ' ') << "\r";
      print_ok_or(ctx, *sync, text_sync(*sync));
      return kExitOk;
    }
    if (show_progress) {
      std::string line = text_sync_progress(*sync);
      const size_t width = line.size();
      if (width < last_width) line.append(last_width - width, ' ');
      ctx.out << "\r" << line << std::flush;
      last_width = std::max(last_width, width);
    }
    std::this_thread::sleep_for(kSyncPollInterval);
  }
}

int run_pause(Context& ctx, const PauseOptions& o) {
  unsigned minutes = kDefaultPauseMinutes;
  if (!o.duration.empty() && !o.until.empty())
    return fail(ctx, Status::invalid("give either --for or --until, not both"));
  if (!o.duration.empty()) {
    Result<unsigned> parsed = parse_pause_duration(o.duration);
    if (!parsed) return fail(ctx, parsed.status());
    minutes = *parsed;
  } else if (!o.until.empty()) {
    std::optional<int64_t> back = next_local_clock(trim(o.until), ctx.now);
    if (!back) return fail(ctx, Status::invalid("give --until as a time of day, e.g. 16:20"));
    // Rounded up: back at 16:20 means paused until then, not a minute before.
    const int64_t ms = *back - ctx.now;
    minutes = static_cast<unsigned>((ms + 59'999) / 60'000);
    if (minutes < kMinPauseMinutes || minutes > kMaxPauseMinutes)
      return fail(ctx, Status::invalid("a pause lasts from 20 minutes to 24 hours; " +
                                       std::string(trim(o.until)) + " is " + human_minutes(minutes) +
                                       " from now"));
  }
  Result<std::string> note = parse_short_text(o.note, "the note", model::kMaxNote);
  if (!note) return fail(ctx, note.status());
  Result<Reply> reply = ask(ctx, request::pause(static_cast<uint16_t>(minutes), *note));
  if (!reply) return fail(ctx, reply.status());
  int64_t until = ctx.now + int64_t{minutes} * 60'000;
  if (const auto* p = std::get_if<PauseInfo>(&*reply); p && p->until) until = p->until;
  const Overview o_ctx = overview_or_empty(ctx);
  std::string text = "You are pausing until " + human_clock(until, ctx.now) + " (" +
                     human_minutes(minutes) + "). ";
  if (o_ctx.paired) {
    const std::string partner = partner_called(o_ctx);
    text += capitalized(partner) + "'s Hearth shows your pause first, and what " + partner +
            " shares waits here until it ends.\n";
  } else {
    text += "Nobody else is told: this device is not paired.\n";
  }
  text += "`hearth resume` ends it whenever you are ready. Nothing else is needed now.\n"
          "If it helps: `hearth practice start breathe` breathes slowly with you, and "
          "`hearth practice start grounding` brings you back to the room, one sense at a time.\n";
  print_ok_or(ctx, *reply, text);
  return kExitOk;
}

int run_resume(Context& ctx) {
  const Overview before = overview_or_empty(ctx);
  Result<Reply> reply = ask(ctx, request::resume());
  if (!reply) return fail(ctx, reply.status());
  std::string text;
  if (before.my_pause.active) {
    text = "Your pause has ended.";
    if (before.waiting > 0) {
      text += " " + count_of(before.waiting, "entry", "entries") + " from " +
              partner_called(before) + " arrived meanwhile; the lists show " +
              (before.waiting == 1 ? "it" : "them") + " now.";
    }
    text += "\n";
    if (before.paired)
      text += "Ready to reconnect with " + partner_called(before) +
              "? Whenever you are; there is no hurry.\n";
  } else {
    text = "You are not paused, so there is nothing to end.";
    if (before.partner_pause.active) {
      const std::string partner = partner_called(before);
      text += " " + capitalized(partner) + "'s pause is " + partner +
              "'s own; it ends when they end it, or at " +
              human_clock(before.partner_pause.until, ctx.now) + ".";
    }
    text += "\n";
  }
  print_ok_or(ctx, *reply, text);
  return kExitOk;
}

int run_config(Context& ctx, const ConfigOptions& o) {
  std::string key(trim(o.key));
  if (key.empty()) return fail(ctx, Status::invalid("name a setting, for example `discovery`"));
  if (config::in_file(key)) return run_file_config(ctx, o, nullptr);
  const bool set = o.value.has_value();
  Result<Reply> reply =
      ask(ctx, set ? request::config_set(key, *o.value) : request::config_get(key));
  if (!reply) return fail(ctx, reply.status());
  const auto* stored = std::get_if<ConfigEntry>(&*reply);
  if (set && stored && stored->key == "auto-lock" && stored->value != "off") {
    auto keys = crypto::read_key_file_info(ctx.paths.keys());
    if (keys && !keys->sealed)
      ctx.err << "This device's keys have no passphrase, so hearthd cannot lock; auto-lock starts\n"
                 "working once you add one with `hearth passphrase set`.\n"
              << std::flush;
  }
  if (ctx.json()) {
    print_json(ctx, *reply);
    return kExitOk;
  }
  if (const auto* entry = std::get_if<ConfigEntry>(&*reply)) {
    if (set) {
      ctx.out << terminal_safe(entry->key, false) << " is now "
              << terminal_safe(entry->value, false) << "\n";
    } else {
      ctx.out << terminal_safe(entry->value, false) << "\n";
    }
  } else if (set) {
    ctx.out << terminal_safe(key, false) << " is now " << terminal_safe(*o.value, false) << "\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_rebuild(Context& ctx) {
  // One transaction over the whole log: give a long journal time.
  Result<Reply> reply = ask(ctx, request::rebuild_views(), Wait::kLong);
  if (!reply) return fail(ctx, reply.status());
  print_ok_or(ctx, *reply,
              "Rebuilt the derived tables from the event log. Nothing was lost: every entry is\n"
              "still in the log, and lists and statuses are now computed afresh from it.\n");
  return kExitOk;
}

}  // namespace hearth::client
