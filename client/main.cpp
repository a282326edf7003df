// hearth: the command table. Parses the command line with CLI11 into the
// plain option structs of commands.h and runs the chosen command. This is the
// only file that includes CLI11 (it is slow to compile); the commands live in
// the other files of client/.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/commands.h"
#include "client/desktop_notifier.h"
#include "client/keyring_unlock.h"
#include "cli/man_extras.h"
#include "config/daemon_config.h"
#include "client/reconnecting_stream.h"
#include "client/render_json.h"
#include "client/suggest.h"
#include "client/timefmt.h"
#include "client/ui/ui.h"
#include "crypto/sodium.h"
#include "util/process.h"

namespace {

using hearth::client::Context;
using Action = std::function<int(Context&)>;
namespace hc = hearth::client;

constexpr const char* kDescription =
    "Hearth keeps what you and your partner share while healing together: reflections,\n"
    "boundaries, check-ins and pauses. Entries stay on your two devices, private unless\n"
    "you share them. Hearth does not replace a therapist or crisis support.";

constexpr const char* kFooter =
    "Every command takes --home DIR (else $HEARTH_HOME, else ~/.local/share/hearth) and\n"
    "--json (one JSON document on stdout; `watch` and `pair invite` print one per line).\n"
    "Exit codes: 0 ok, 1 usage, 2 daemon not running or locked, 3 refused, 4 internal.";

constexpr const char* kIdHelp =
    "Its id as the lists show it, or the start of that (any unique start or end of the full id "
    "works too)";

// Sets `slot` to `action` when `app` was chosen on the command line.
void on(CLI::App* app, Action& slot, Action action) {
  app->callback([&slot, action = std::move(action)] { slot = action; });
}

// Words given as separate arguments, joined by spaces (the shell splits
// `hearth reflect add I felt calm` into four).
std::optional<std::string> joined(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  return out;
}

void add_limit(CLI::App* app, hc::ListOptions& o) {
  app->add_option("--limit", o.limit, "How many to show, newest first (default 20; 0: all)");
}

// --home and --json on every (sub)command, so both work before or after the
// subcommand name; all bind the same variables.
void add_globals(CLI::App* app, hc::GlobalOptions& g) {
  app->add_option("--home", g.home,
                  "Hearth's directory (default: $HEARTH_HOME, then "
                  "$XDG_DATA_HOME/hearth)")
      ->group("Global options");
  app->add_flag("--json", g.json, "Print one JSON document on stdout")->group("Global options");
  for (CLI::App* sub : app->get_subcommands({})) add_globals(sub, g);
}

// ---------------------------------------------------------------- mistakes

// "hearth reflect add" for the `add` under `reflect`.
std::string command_path(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App* app) {
  return app->get_subcommands({});
}

std::vector<std::string> command_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : subcommands_of(app)) out.push_back(sub->get_name());
  return out;
}

std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app->get_options()) {
    for (const std::string& name : opt->get_lnames()) out.push_back("--" + name);
    for (const std::string& name : opt->get_snames()) out.push_back("-" + name);
  }
  return out;
}

const CLI::App* subcommand_named(const CLI::App* app, const std::string& word) {
  for (const CLI::App* sub : subcommands_of(app))
    if (sub->check_name(word)) return sub;
  return nullptr;
}

bool takes_words(const CLI::App* app) {
  for (const CLI::Option* opt : app->get_options())
    if (!opt->nonpositional()) return true;
  return false;
}

// A command line CLI11 refused, explained: the help to print instead (for
// `hearth reflect help`), or the message for the person.
struct Explained {
  const CLI::App* help = nullptr;
  std::string message;
};

// Walks argv as CLI11 does and names the first word that is not a command
// where one was needed, or not an option of the command it follows; then
// any words a command does not take, in the order given. Falls back to
// CLI11's own message (`error`).
Explained explain_mistake(const CLI::App& app, int argc, char** argv,
                          const CLI::ParseError& error) {
  const CLI::App* cur = &app;
  std::vector<std::string> unexpected;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      const std::string name = arg.substr(0, arg.find('='));
      const CLI::Option* opt = cur->get_option_no_throw(name);
      if (!opt)
        return {nullptr, hc::unknown_option_message(name, command_path(cur), option_names(cur))};
      if (arg.find('=') == std::string::npos && opt->get_items_expected_max() > 0) ++i;
      continue;
    }
    if (const CLI::App* sub = subcommand_named(cur, arg)) {
      cur = sub;
      continue;
    }
    if (takes_words(cur)) continue;
    // A word where a command may follow: a mistyped command if a command
    // must follow or one is close, else a word this command does not take.
    if (!subcommands_of(cur).empty() && (cur->get_require_subcommand_min() > 0 || arg == "help" ||
                                         !hc::closest_words(arg, command_names(cur)).empty())) {
      if (arg == "help") return {cur, ""};
      return {nullptr, hc::unknown_command_message(arg, command_path(cur), command_names(cur))};
    }
    unexpected.push_back(arg);
  }
  if (!unexpected.empty())
    return {nullptr, hc::unexpected_words_message(command_path(cur), unexpected)};
  if (cur->get_require_subcommand_min() > 0)
    return {nullptr, hc::missing_command_message(command_path(cur), command_names(cur))};
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // CLI11 lists them last first: put them back in the order given. They
    // are the last of their values on the command line.
    std::vector<std::string> left = app.remaining(true);
    std::vector<std::string> in_order;
    for (int i = argc - 1; i >= 1 && !left.empty(); --i) {
      auto it = std::find(left.begin(), left.end(), argv[i]);
      if (it == left.end()) continue;
      in_order.insert(in_order.begin(), *it);
      left.erase(it);
    }
    in_order.insert(in_order.begin(), left.begin(), left.end());
    return {nullptr, hc::unexpected_words_message(command_path(cur), in_order)};
  }
  return {nullptr, std::string(error.what()) + "\n`hearth help" +
                       command_path(cur).substr(std::string("hearth").size()) +
                       "` shows what it takes."};
}

// The command `words` name below `app` (`hearth help reflect add`), or the
// message naming the first word that is not one.
Explained help_for(const CLI::App& app, const std::vector<std::string>& words) {
  const CLI::App* cur = &app;
  for (const std::string& word : words) {
    const CLI::App* sub = subcommand_named(cur, word);
    if (!sub)
      return {nullptr, hc::unknown_command_message(word, command_path(cur), command_names(cur))};
    cur = sub;
  }
  return {cur, ""};
}

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

// `app`'s help, its usage line naming the whole command ("hearth reflect add").
std::string help_text(const CLI::App* app) {
  return app->get_formatter()->make_help(app, command_path(app), CLI::AppFormatMode::Normal);
}

void print_usage_error(int argc, char** argv, const std::string& message) {
  if (wants_json(argc, argv)) std::cout << hc::json_error_document("usage", message) << std::flush;
  std::cerr << message << "\n" << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  // What `hearth` creates (the home, key file and store at `init`, exports,
  // the editor's drafts) is for this user alone, whatever the umask; each of
  // those also asks for 0600 or 0700 itself.
  ::umask(077);
  // The passphrase, codes and words it handles never reach a core file.
  if (hearth::Status st = hearth::keep_out_of_core_dumps(); !st.is_ok()) {
    std::cerr << "hearth: " << st.message() << "\n";
    return 4;
  }
  hearth::crypto::sodium_ready();

  CLI::App app{kDescription, "hearth"};
  app.footer(kFooter);
  app.require_subcommand(1);
  // The version with the protocol's, and the man page and completions
  // printed from this same table (cli/cli_doc.h).
  app.set_version_flag("--version", hearth::cli::version_text("hearth"));
  hearth::cli::add_doc_options(app);
  std::string complete_ids;
  app.add_option("--complete-ids", complete_ids, "Print entry IDs for shell completion")
      ->group("");
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help-man" || arg.rfind("--help-completion", 0) == 0 ||
        arg.rfind("--complete-ids", 0) == 0)
      app.require_subcommand(0, 1);
  }
  auto keyring = hc::desktop_keyring();

  hc::GlobalOptions global;
  Action run;

  // ------------------------------------------------------------ setup
  hc::InitOptions init;
  auto* init_cmd = app.add_subcommand(
      "init",
      "Set up Hearth on this computer: a new device key, sealed with a passphrase. "
      "Works without the daemon.");
  init_cmd->add_option("--name", init.name, "A name your partner sees, e.g. your first name");
  auto* no_pass = init_cmd->add_flag(
      "--no-passphrase", init.no_passphrase,
      "Keep the keys unsealed (for headless use): anyone who can read your files can read "
      "your entries");
  auto* pass_file = init_cmd->add_option("--passphrase-file", init.passphrase_file,
                                         "Read the passphrase from the first line of FILE");
  no_pass->excludes(pass_file);
  on(init_cmd, run, [&](Context& c) { return hc::run_init(c, init); });

  auto* id_cmd = app.add_subcommand(
      "id", "Print this device's ID, to give to your partner. Works without the daemon.");
  on(id_cmd, run, [](Context& c) { return hc::run_id(c); });

  auto* status_cmd =
      app.add_subcommand("status",
                         "Show this device, any pause, your partner's connection, and how far your "
                         "shared entries have synced.");
  on(status_cmd, run, [](Context& c) { return hc::run_status(c); });

  hc::UnlockOptions unlock;
  auto* unlock_cmd = app.add_subcommand(
      "unlock",
      "Open the keys with your passphrase so the daemon can read and sync entries. Always "
      "checks the passphrase; asks again after a wrong or empty one (3 tries).");
  auto* unlock_file = unlock_cmd->add_option("--passphrase-file", unlock.passphrase_file,
                                             "Read the passphrase from the first line of FILE");
  unlock_cmd
      ->add_flag("--from-keyring", unlock.from_keyring,
                 "Use the key your desktop keyring keeps (`config set unlock-with-login on`); "
                 "does nothing while that setting is off. Runs at login (hearth-unlock.service)")
      ->excludes(unlock_file);
  on(unlock_cmd, run, [&](Context& c) {
    if (unlock.from_keyring) return hc::run_unlock_from_keyring(c, *keyring);
    return hc::run_unlock(c, unlock);
  });

  auto* lock_cmd = app.add_subcommand(
      "lock",
      "Wipe the keys from the daemon's memory now; nothing is read or synced until `hearth "
      "unlock`. Needs a passphrase. To lock after a quiet time: `config set auto-lock 30m`.");
  on(lock_cmd, run, [](Context& c) { return hc::run_lock(c); });

  auto* passphrase_cmd = app.add_subcommand(
      "passphrase",
      "Add, change or remove the passphrase that seals your keys. Works whether the daemon "
      "runs (it re-seals the key file) or not; an interruption leaves the old or the new file.");
  passphrase_cmd->require_subcommand(1);
  hc::PassphraseOptions passphrase;
  struct PassphraseVerb {
    const char* name;
    const char* help;
    hc::PassphraseCommand command;
  };
  const PassphraseVerb passphrase_verbs[] = {
      {"set", "Seal keys that have no passphrase (after `init --no-passphrase`).",
       hc::PassphraseCommand::kSet},
      {"change", "Re-seal the keys under a new passphrase; asks for the current one first.",
       hc::PassphraseCommand::kChange},
      {"remove",
       "Store the keys unsealed: anyone who can read your files can then read your entries, "
       "and locking is no longer possible. Asks for the passphrase, and to confirm.",
       hc::PassphraseCommand::kRemove},
  };
  for (const PassphraseVerb& verb : passphrase_verbs) {
    auto* cmd = passphrase_cmd->add_subcommand(verb.name, verb.help);
    if (verb.command != hc::PassphraseCommand::kSet)
      cmd->add_option("--passphrase-file", passphrase.passphrase_file,
                      "Read the current passphrase from the first line of FILE");
    if (verb.command != hc::PassphraseCommand::kRemove)
      cmd->add_option("--new-passphrase-file", passphrase.new_passphrase_file,
                      "Read the new passphrase from the first line of FILE");
    if (verb.command == hc::PassphraseCommand::kRemove)
      cmd->add_flag("--yes", passphrase.yes, "Do it without asking");
    const hc::PassphraseCommand command = verb.command;
    on(cmd, run, [&passphrase, command](Context& c) {
      passphrase.command = command;
      return hc::run_passphrase(c, passphrase);
    });
  }

  hc::ListOptions log;
  auto* log_cmd = app.add_subcommand(
      "log",
      "Show the activity log: every network action the daemon took. It never holds "
      "what you wrote.");
  add_limit(log_cmd, log);
  on(log_cmd, run, [&](Context& c) { return hc::run_log(c, log); });

  auto* watch_cmd = app.add_subcommand(
      "watch",
      "Show your partner's changes as they arrive, any pause first. Goes on when hearthd "
      "restarts; Ctrl-C stops.");
  on(watch_cmd, run, [](Context& c) {
    hc::catch_stop_signals();
    return hc::run_watch(c);
  });

  auto* notify_cmd = app.add_subcommand(
      "notify",
      "Post desktop notifications until stopped: your partner's pause and its end, answers "
      "you can both read, a reply to your check-in; new shared entries only with `config set "
      "notify-entries on`. Never the words of an entry. Quiet hours: `config set quiet-hours "
      "22:00-08:00`. Run it as a user service (deploy/hearth-notify.service).");
  on(notify_cmd, run, [](Context& c) {
    hc::catch_stop_signals();
    auto notifier = hc::desktop_notifier();
    if (!notifier) return hc::fail(c, notifier.status());
    return hc::run_notify(c, **notifier, hc::real_pacing());
  });

  hc::UiOptions ui;
  auto* ui_cmd = app.add_subcommand(
      "ui",
      "Open Hearth in your browser: every screen, for those who prefer windows to a terminal. "
      "Served on this computer only (127.0.0.1), for you alone; stops a minute after its last "
      "page closes, or with Ctrl-C.");
  ui_cmd->add_option("--port", ui.port, "Serve on this port (default: any free one)")
      ->check(CLI::Range(1, 65535));
  ui_cmd->add_flag("--no-open", ui.no_open,
                   "Print the address instead of opening the browser (it works once)");
  ui_cmd->add_option("--linger", ui.linger_seconds,
                     "Stop this many seconds after the last page closed (default 60)")
      ->check(CLI::Range(1, 86400));
  on(ui_cmd, run, [&](Context& c) { return hc::exec_ui_program(c, ui); });

  hc::SyncOptions sync;
  auto* sync_cmd =
      app.add_subcommand("sync",
                         "Show how far syncing with your partner's device has come; if it is not "
                         "connected, try to reach it now.");
  sync_cmd->add_flag("--wait", sync.wait,
                     "Wait until everything is synced, showing progress (Ctrl-C stops waiting)");
  on(sync_cmd, run, [&](Context& c) { return hc::run_sync(c, sync); });

  // ------------------------------------------------------------ partner
  auto* pair_cmd = app.add_subcommand("pair", "Pair this device with your partner's.");
  pair_cmd->require_subcommand(1);
  // What was shared while unpaired goes to the new partner only when asked.
  auto add_earlier = [](CLI::App* cmd, hc::SendEarlierOptions& o) {
    auto* send = cmd->add_flag("--send-earlier", o.send_earlier,
                               "Also send the entries you shared while not paired (asked on a "
                               "terminal; otherwise they stay on this device only)");
    auto* keep = cmd->add_flag("--keep-earlier", o.keep_earlier,
                               "Keep the entries you shared while not paired on this device "
                               "only, without asking");
    send->excludes(keep);
  };
  hc::PairInviteOptions invite;
  auto* invite_cmd = pair_cmd->add_subcommand(
      "invite",
      "Print a short pairing code for your partner, then wait until they join. "
      "The code works for 10 minutes and 3 attempts.");
  add_earlier(invite_cmd, invite.earlier);
  on(invite_cmd, run, [&](Context& c) { return hc::run_pair_invite(c, invite); });

  hc::PairJoinOptions join;
  std::vector<std::string> join_words;
  auto* join_cmd = pair_cmd->add_subcommand(
      "join",
      "Pair using the code your partner's `hearth pair invite` shows; on the same network it "
      "finds their computer by itself. Leave the code out to type it when asked: on the "
      "command line, other users of this computer can see it.");
  join_cmd->add_option("code", join_words,
                       "The code's words, with dashes or spaces (asked for when left out)");
  join_cmd->add_option("--address", join.address,
                       "Your partner's computer, as HOST:PORT. Without it, hearthd looks for the "
                       "invite on your local network");
  add_earlier(join_cmd, join.earlier);
  on(join_cmd, run, [&](Context& c) {
    // The code's words may arrive as separate arguments.
    join.code = joined(join_words).value_or("");
    return hc::run_pair_join(c, join);
  });

  hc::PairAddOptions pair_add;
  auto* add_cmd = pair_cmd->add_subcommand(
      "add", "Pair by device ID: each of you runs this with the other's `hearth id`.");
  add_cmd->add_option("id", pair_add.device_id, "Your partner's device ID")->required();
  add_cmd->add_option("--address", pair_add.address,
                      "Where to reach your partner's computer, as HOST:PORT");
  add_earlier(add_cmd, pair_add.earlier);
  on(add_cmd, run, [&](Context& c) { return hc::run_pair_add(c, pair_add); });

  hc::UnpairOptions unpair;
  auto* unpair_cmd = app.add_subcommand(
      "unpair",
      "Stop syncing with your partner at once and stop trusting their device. It needs no "
      "approval and is silent. What you shared stays on their device: Hearth cannot reach it. "
      "Asks first on a terminal; elsewhere needs --yes.");
  unpair_cmd->add_flag("--erase-shared", unpair.erase_shared,
                       "Also erase every shared entry on this device, yours and your partner's "
                       "(your private entries stay)");
  unpair_cmd->add_flag("--yes", unpair.yes, "Do it without asking");
  on(unpair_cmd, run, [&](Context& c) { return hc::run_unpair(c, unpair); });

  auto* peer_cmd = app.add_subcommand(
      "peer", "Manage the addresses where the daemon looks for your partner's computer.");
  peer_cmd->require_subcommand(1);
  hc::PeerOptions peer;
  auto* peer_add = peer_cmd->add_subcommand("add",
                                            "Add an address (HOST:PORT; port 7420 if "
                                            "left out).");
  peer_add->add_option("address", peer.address, "HOST:PORT")->required();
  on(peer_add, run, [&](Context& c) { return hc::run_peer_add(c, peer); });
  auto* peer_remove = peer_cmd->add_subcommand("remove", "Remove an address.");
  peer_remove->add_option("address", peer.address, "HOST:PORT")->required();
  on(peer_remove, run, [&](Context& c) { return hc::run_peer_remove(c, peer); });
  auto* peer_list = peer_cmd->add_subcommand("list", "List the addresses and their state.");
  on(peer_list, run, [](Context& c) { return hc::run_peer_list(c); });

  // ------------------------------------------------------------ reflections
  auto* reflect_cmd = app.add_subcommand(
      "reflect", "Write and read reflections. They are private unless you share them.");
  reflect_cmd->require_subcommand(1);

  hc::ReflectAddOptions radd;
  std::vector<std::string> radd_words;
  auto* radd_cmd = reflect_cmd->add_subcommand(
      "add",
      "Write a reflection. Without TEXT your editor opens (once hearthd is ready to save it); "
      "with - it is read from stdin, which keeps it off the command line. It stays private "
      "unless you add --share.");
  radd_cmd->add_option("text", radd_words, "The reflection (or - to read stdin)");
  radd_cmd->add_option("--from", radd.from_file,
                       "Read the reflection from FILE, e.g. a draft Hearth kept when saving "
                       "failed");
  radd_cmd->add_flag("--share", radd.share, "Share it with your partner");
  radd_cmd->add_option("--feeling", radd.feelings, "A feeling to note (repeat for more)")
      ->expected(1)
      ->allow_extra_args(false)  // one value per --feeling; the rest is TEXT
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  radd_cmd->add_option("--prompt", radd.prompt_id, "The id of the prompt this answers");
  radd_cmd->add_option("--content-note", radd.content_note,
                       "A few words on what it holds (\"mentions the accident\"): your partner "
                       "sees them first, and the words only when they choose to open it");
  radd_cmd->add_option("--reply-to", radd.reply_to,
                       "The id of your partner's reflection this "
                       "answers");
  on(radd_cmd, run, [&](Context& c) {
    radd.text = joined(radd_words);
    return hc::run_reflect_add(c, radd);
  });

  hc::ListOptions rlist;
  auto* rlist_cmd = reflect_cmd->add_subcommand("list", "Show reflections, newest first.");
  add_limit(rlist_cmd, rlist);
  rlist_cmd->add_flag("--archived", rlist.archived, "Show the ones you archived instead");
  on(rlist_cmd, run, [&](Context& c) { return hc::run_reflect_list(c, rlist); });

  hc::ReflectTargetOptions rtarget;
  auto* rshow_cmd = reflect_cmd->add_subcommand(
      "show", "Show one reflection in full, with its earlier versions.");
  rshow_cmd->add_option("id", rtarget.id, kIdHelp)->required();
  on(rshow_cmd, run, [&](Context& c) { return hc::run_reflect_show(c, rtarget); });

  hc::ReflectEditOptions redit;
  std::vector<std::string> redit_words;
  auto* redit_cmd = reflect_cmd->add_subcommand(
      "edit",
      "Change one of your reflections. Without TEXT your editor opens with the "
      "current text. Earlier versions stay in its history.");
  redit_cmd->add_option("id", redit.id, kIdHelp)->required();
  redit_cmd->add_option("text", redit_words, "The new text (or - to read stdin)");
  redit_cmd->add_option("--from", redit.from_file, "Read the new text from FILE");
  redit_cmd->add_option("--feeling", redit.feelings, "Replace the feelings (repeat for more)")
      ->expected(1)
      ->allow_extra_args(false)  // one value per --feeling; the rest is TEXT
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  on(redit_cmd, run, [&](Context& c) {
    redit.text = joined(redit_words);
    return hc::run_reflect_edit(c, redit);
  });

  auto* rshare_cmd = reflect_cmd->add_subcommand(
      "share", "Share one of your private reflections with your partner.");
  rshare_cmd->add_option("id", rtarget.id, kIdHelp)->required();
  on(rshare_cmd, run, [&](Context& c) { return hc::run_reflect_share(c, rtarget); });

  auto* rforget_cmd = reflect_cmd->add_subcommand(
      "forget",
      "Delete one of your reflections, every version, here and on your partner's "
      "device. Asks first on a terminal; with --json or without a terminal it needs "
      "--yes.");
  rforget_cmd->add_option("id", rtarget.id, kIdHelp)->required();
  rforget_cmd->add_flag("--yes", rtarget.yes, "Do it without asking");
  on(rforget_cmd, run, [&](Context& c) { return hc::run_reflect_forget(c, rtarget); });

  hc::ArchiveOptions rarchive;
  rarchive.kind = "reflection";
  auto* rarchive_cmd = reflect_cmd->add_subcommand(
      "archive",
      "Take a reflection out of your lists on this device, without forgetting it. Nobody is "
      "told.");
  rarchive_cmd->add_option("id", rarchive.id, kIdHelp)->required();
  rarchive_cmd->add_flag("--undo", rarchive.undo, "Bring it back into your lists");
  on(rarchive_cmd, run, [&](Context& c) { return hc::run_archive(c, rarchive); });

  // ------------------------------------------------------------ boundaries
  auto* boundary_cmd = app.add_subcommand(
      "boundary",
      "Limits and agreements. A limit is your own: in force at once, and only you change it. "
      "An agreement is one you both choose; either of you can leave it, alone and at once.");
  boundary_cmd->require_subcommand(1);

  hc::BoundaryProposeOptions propose;
  std::vector<std::string> propose_words;
  auto* set_cmd = boundary_cmd->add_subcommand(
      "set",
      "Set a limit of your own, e.g. \"Say my name before you touch me\". It is in force at "
      "once and needs nobody's agreement; only you can change or retire it.");
  set_cmd->add_option("text", propose_words, "The limit, in your words")->required();
  set_cmd->add_option("--category", propose.category, "A word to group it by");
  on(set_cmd, run, [&](Context& c) {
    propose.text = joined(propose_words).value_or("");
    return hc::run_boundary_set(c, propose);
  });
  auto* propose_cmd = boundary_cmd->add_subcommand(
      "propose", "Propose an agreement for you both. It is in force once your partner agrees.");
  propose_cmd->add_option("text", propose_words, "The agreement, in your words")->required();
  propose_cmd->add_option("--category", propose.category, "A word to group it by");
  on(propose_cmd, run, [&](Context& c) {
    propose.text = joined(propose_words).value_or("");
    return hc::run_boundary_propose(c, propose);
  });

  hc::BoundaryReviseOptions revise;
  std::vector<std::string> revise_words;
  struct Wording {
    const char* name;
    const char* help;
  };
  const Wording wordings[] = {
      {"revise",
       "Change the wording. Your own limit: in force at once, tighter or looser. An agreement: "
       "the version you both agreed on stays in force until your partner agrees to the new one."},
      {"relax", "Loosen one of your own limits; in force at once (the same as revise)."},
  };
  for (const Wording& wording : wordings) {
    auto* cmd = boundary_cmd->add_subcommand(wording.name, wording.help);
    cmd->add_option("id", revise.id, kIdHelp)->required();
    cmd->add_option("text", revise_words, "The new wording")->required();
    on(cmd, run, [&](Context& c) {
      revise.text = joined(revise_words).value_or("");
      return hc::run_boundary_revise(c, revise);
    });
  }

  hc::BoundaryRespondOptions respond;
  struct Verb {
    const char* name;
    const char* help;
    hc::BoundaryAction action;
  };
  const Verb verbs[] = {
      {"agree", "Agree to the latest wording of an agreement.", hc::BoundaryAction::kAgree},
      {"decline",
       "Decline the latest wording of an agreement. No reason is needed; --ask-again-after "
       "says when it may be proposed again.",
       hc::BoundaryAction::kDecline},
      {"discuss", "Say you would like to talk the latest wording of an agreement over first.",
       hc::BoundaryAction::kDiscuss},
      {"leave", "Leave an agreement, alone and at once. It is no longer in force for either of you.",
       hc::BoundaryAction::kLeave},
      {"withdraw", "The same as leave.", hc::BoundaryAction::kLeave},
      {"retire", "Retire one of your own limits, at once.", hc::BoundaryAction::kRetire},
      {"ack",
       "Let your partner know you have read their limit. It changes nothing about it: a limit "
       "is in force either way.",
       hc::BoundaryAction::kAcknowledge},
      {"drop",
       "Take back your new wording of an agreement while it waits for an answer; the wording "
       "you both agreed on stays in force.",
       hc::BoundaryAction::kDrop},
  };
  for (const Verb& verb : verbs) {
    auto* cmd = boundary_cmd->add_subcommand(verb.name, verb.help);
    cmd->add_option("id", respond.id, kIdHelp)->required();
    if (verb.action != hc::BoundaryAction::kDrop)
      cmd->add_option("--note", respond.note, "A few words for your partner");
    if (verb.action == hc::BoundaryAction::kDecline)
      cmd->add_option("--ask-again-after", respond.ask_again_after,
                      "A day (YYYY-MM-DD) before which it is not proposed again");
    const hc::BoundaryAction action = verb.action;
    on(cmd, run, [&respond, action](Context& c) {
      respond.action = action;
      return hc::run_boundary_respond(c, respond);
    });
  }

  hc::ListOptions blist;
  auto* blist_cmd = boundary_cmd->add_subcommand(
      "list",
      "Show limits first (yours, then your partner's), then agreements in force, then what "
      "waits for an answer.");
  add_limit(blist_cmd, blist);
  blist_cmd->add_flag("--all", blist.all,
                      "Also show agreements left or declined, and limits retired");
  on(blist_cmd, run, [&](Context& c) { return hc::run_boundary_list(c, blist); });

  // ------------------------------------------------------------ check-ins
  hc::CheckInOptions checkin;
  auto* checkin_cmd =
      app.add_subcommand("checkin",
                         "Note how you are: your capacity right now, feelings, and what you need. "
                         "Private unless you add --share.");
  checkin_cmd->require_subcommand(0, 1);
  checkin_cmd
      ->add_option("--capacity", checkin.capacity,
                   "green, yellow or red (asked on a "
                   "terminal if left out)")
      ->check(CLI::IsMember({"green", "yellow", "red"}, CLI::ignore_case));
  checkin_cmd->add_option("--feeling", checkin.feelings, "A feeling to note (repeat for more)")
      ->expected(1)
      ->allow_extra_args(false)  // one value per --feeling; the rest is TEXT
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  checkin_cmd->add_option("--need", checkin.need, "What would help right now");
  checkin_cmd->add_flag("--share", checkin.share, "Share it with your partner");
  hc::ListOptions clist;
  auto* clist_cmd = checkin_cmd->add_subcommand("list", "Show check-ins, newest first.");
  add_limit(clist_cmd, clist);
  clist_cmd->add_flag("--archived", clist.archived, "Show the ones you archived instead");
  on(clist_cmd, run, [&](Context& c) { return hc::run_checkin_list(c, clist); });
  hc::CheckInTargetOptions ctarget;
  auto* cshare_cmd = checkin_cmd->add_subcommand(
      "share", "Share one of your private check-ins with your partner.");
  cshare_cmd->add_option("id", ctarget.id, kIdHelp)->required();
  on(cshare_cmd, run, [&](Context& c) { return hc::run_checkin_share(c, ctarget); });
  auto* cforget_cmd = checkin_cmd->add_subcommand(
      "forget",
      "Delete one of your check-ins, here and on your partner's device. Asks first on a "
      "terminal; with --json or without a terminal it needs --yes.");
  cforget_cmd->add_option("id", ctarget.id, kIdHelp)->required();
  cforget_cmd->add_flag("--yes", ctarget.yes, "Do it without asking");
  on(cforget_cmd, run, [&](Context& c) { return hc::run_checkin_forget(c, ctarget); });
  hc::CheckInReplyOptions creply;
  std::vector<std::string> creply_words;
  auto* creply_cmd = checkin_cmd->add_subcommand(
      "reply", "Answer the need in your partner's shared check-in, if you can.");
  creply_cmd->add_option("id", creply.id, kIdHelp)->required();
  creply_cmd->add_option("text", creply_words, "Your reply, in your words");
  auto* tonight = creply_cmd->add_flag("--tonight", creply.tonight, "\"I can do that tonight.\"");
  auto* tomorrow =
      creply_cmd->add_flag("--tomorrow", creply.tomorrow, "\"Not today, but tomorrow.\"");
  tonight->excludes(tomorrow);
  on(creply_cmd, run, [&](Context& c) {
    creply.text = joined(creply_words).value_or("");
    return hc::run_checkin_reply(c, creply);
  });
  hc::CalendarOptions calendar;
  auto* ccalendar_cmd = checkin_cmd->add_subcommand(
      "calendar",
      "Show capacity colours by day, yours and, where shared, your partner's: G green, "
      "Y yellow, R red, a dot for a day without a check-in. A day with more than one check-in "
      "shows the lowest of them. Days are local dates; today is marked. Colours only on a "
      "terminal, and not when NO_COLOR is set.");
  ccalendar_cmd
      ->add_option("--weeks", calendar.weeks,
                   "How many weeks to show, the last holding today (1 to 52; default 4)")
      ->check(CLI::Range(1, 52));
  on(ccalendar_cmd, run, [&](Context& c) { return hc::run_checkin_calendar(c, calendar); });
  hc::ArchiveOptions carchive;
  carchive.kind = "checkin";
  auto* carchive_cmd = checkin_cmd->add_subcommand(
      "archive",
      "Take a check-in out of your lists on this device, without forgetting it. Nobody is told.");
  carchive_cmd->add_option("id", carchive.id, kIdHelp)->required();
  carchive_cmd->add_flag("--undo", carchive.undo, "Bring it back into your lists");
  on(carchive_cmd, run, [&](Context& c) { return hc::run_archive(c, carchive); });
  checkin_cmd->callback([&, checkin_cmd] {
    if (checkin_cmd->get_subcommands().empty())
      run = [&](Context& c) { return hc::run_checkin(c, checkin); };
  });

  // ------------------------------------------------------------ prompts
  auto* prompt_cmd = app.add_subcommand(
      "prompt",
      "Questions to answer together. You each answer privately; each sees the other's answer "
      "only once both have answered. Passing is always fine. Without a subcommand: today's.");
  prompt_cmd->require_subcommand(0, 1);
  hc::PromptTodayOptions ptoday;
  auto add_depth = [](CLI::App* cmd, int& depth) {
    cmd->add_option("--depth", depth, "How deep: 1 light, 2 thoughtful, 3 deeper");
  };
  add_depth(prompt_cmd, ptoday.depth);
  auto* ptoday_cmd = prompt_cmd->add_subcommand(
      "today", "Today's prompt: the same for you both, a new one each day.");
  add_depth(ptoday_cmd, ptoday.depth);
  on(ptoday_cmd, run, [&](Context& c) { return hc::run_prompt_today(c, ptoday); });
  auto* pdecks_cmd = prompt_cmd->add_subcommand("decks", "The decks the prompts come from.");
  on(pdecks_cmd, run, [](Context& c) { return hc::run_prompt_decks(c); });
  hc::ListOptions plist;
  auto* plist_cmd = prompt_cmd->add_subcommand(
      "list", "Prompts you or your partner answered, passed or asked, newest first.");
  add_limit(plist_cmd, plist);
  on(plist_cmd, run, [&](Context& c) { return hc::run_prompt_list(c, plist); });
  hc::PromptOptions prompt_opt;
  std::vector<std::string> answer_words;
  struct PromptVerb {
    const char* name;
    const char* help;
    int (*run)(Context&, const hc::PromptOptions&);
  };
  const PromptVerb prompt_verbs[] = {
      {"show", "Show one prompt and where it stands.", hc::run_prompt_show},
      {"pass", "Set a prompt aside. Nothing is shown, and no reason is asked.",
       hc::run_prompt_pass},
      {"reveal", "Let your partner read your answer now, without waiting for theirs.",
       hc::run_prompt_reveal},
  };
  for (const PromptVerb& verb : prompt_verbs) {
    auto* cmd = prompt_cmd->add_subcommand(verb.name, verb.help);
    cmd->add_option("id", prompt_opt.id, "The prompt's ID, e.g. again-012")->required();
    auto fn = verb.run;
    on(cmd, run, [&prompt_opt, fn](Context& c) { return fn(c, prompt_opt); });
  }
  auto* panswer_cmd = prompt_cmd->add_subcommand(
      "answer",
      "Answer a prompt. Without TEXT your editor opens; with - it is read from stdin. The "
      "answer is sealed: your partner reads it only once they have answered too, and it is "
      "not changed afterwards.");
  panswer_cmd->add_option("id", prompt_opt.id, "The prompt's ID, e.g. again-012")->required();
  panswer_cmd->add_option("text", answer_words, "Your answer (or - to read stdin)");
  panswer_cmd->add_option("--from", prompt_opt.from_file, "Read the answer from FILE");
  on(panswer_cmd, run, [&](Context& c) {
    prompt_opt.text = joined(answer_words);
    return hc::run_prompt_answer(c, prompt_opt);
  });
  hc::PromptAskOptions pask;
  std::vector<std::string> ask_words;
  auto* pask_cmd = prompt_cmd->add_subcommand(
      "ask", "Ask a question of your own, for you both to answer blind.");
  pask_cmd->add_option("text", ask_words, "The question")->required();
  add_depth(pask_cmd, pask.depth);
  on(pask_cmd, run, [&](Context& c) {
    pask.text = joined(ask_words).value_or("");
    return hc::run_prompt_ask(c, pask);
  });
  prompt_cmd->callback([&, prompt_cmd] {
    if (prompt_cmd->get_subcommands().empty())
      run = [&](Context& c) { return hc::run_prompt_today(c, ptoday); };
  });

  // ------------------------------------------------------------ yes / no / maybe
  auto* ynm_cmd = app.add_subcommand(
      "ynm",
      "Yes, no, maybe: things you might enjoy together, each answered privately. You see "
      "what you both said yes to first, then maybes, then \"not now for one of you\".");
  ynm_cmd->require_subcommand(0, 1);
  hc::YnmOptions ynm;
  ynm_cmd->add_option("--round", ynm.round, "Show an earlier round (its ID)");
  auto* ystart_cmd = ynm_cmd->add_subcommand(
      "start", "Begin a new round; earlier rounds stay readable.");
  on(ystart_cmd, run, [](Context& c) { return hc::run_ynm_start(c); });
  hc::YnmAnswerOptions yanswer;
  auto* yanswer_cmd = ynm_cmd->add_subcommand(
      "answer", "Answer one item of the newest round: yes, no or maybe.");
  yanswer_cmd->add_option("item", yanswer.item, "The item's ID, e.g. ynm-007")->required();
  yanswer_cmd->add_option("choice", yanswer.choice, "yes, no or maybe")->required();
  yanswer_cmd->add_option("--note", yanswer.note, "A note only you will read");
  on(yanswer_cmd, run, [&](Context& c) { return hc::run_ynm_answer(c, yanswer); });
  ynm_cmd->callback([&, ynm_cmd] {
    if (ynm_cmd->get_subcommands().empty())
      run = [&](Context& c) { return hc::run_ynm_show(c, ynm); };
  });

  // ------------------------------------------------------------ practices, today
  auto* practice_cmd = app.add_subcommand(
      "practice",
      "Short practices, alone or together: breathing in step, grounding, touch in small steps. "
      "Stopping is always fine, and nothing is counted.");
  practice_cmd->require_subcommand(1);
  auto* plist2_cmd = practice_cmd->add_subcommand("list", "The practices, what each is for.");
  on(plist2_cmd, run, [](Context& c) { return hc::run_practice_list(c); });
  hc::PracticeStartOptions pstart;
  auto* pstart_cmd = practice_cmd->add_subcommand(
      "start",
      "Begin a practice. With --together your partner is invited, and it begins for you both "
      "at the same moment once they join.");
  pstart_cmd->add_option("name", pstart.name, "The practice, e.g. breathe")->required();
  pstart_cmd->add_flag("--together", pstart.together, "Invite your partner to do it with you");
  pstart_cmd->add_option("--minutes", pstart.minutes, "How long, 1 to 60 minutes");
  pstart_cmd->add_option("--pattern", pstart.pattern,
                         "Breathing: seconds in and out, e.g. 4-6 (default 5-5)");
  pstart_cmd->add_option("--stage", pstart.stage, "A practice in stages: which one (default 1)");
  pstart_cmd->add_option("--capacity", pstart.capacity,
                         "A practice of touch begins with a check-in: green, yellow or red");
  on(pstart_cmd, run, [&](Context& c) { return hc::run_practice_start(c, pstart); });
  hc::PracticeJoinOptions pjoin;
  auto* pjoin_cmd = practice_cmd->add_subcommand(
      "join", "Join the practice your partner invited you to.");
  pjoin_cmd->add_option("--capacity", pjoin.capacity,
                        "A practice of touch begins with a check-in: green, yellow or red");
  on(pjoin_cmd, run, [&](Context& c) { return hc::run_practice_join(c, pjoin); });
  auto* pstop_cmd = practice_cmd->add_subcommand(
      "stop", "End the practice, at once, for you both. No reason is asked.");
  on(pstop_cmd, run, [](Context& c) { return hc::run_practice_stop(c); });
  hc::PracticeStageOptions pstage;
  auto* pstage_cmd = practice_cmd->add_subcommand(
      "stage",
      "Say you would like to go on to a next stage of a practice. It opens once you both have.");
  pstage_cmd->add_option("name", pstage.name, "The practice, e.g. closeness")->required();
  pstage_cmd->add_option("stage", pstage.stage, "The stage, 2 or more")->required();
  on(pstage_cmd, run, [&](Context& c) { return hc::run_practice_stage(c, pstage); });

  auto* today_cmd = app.add_subcommand(
      "today",
      "The day's page: your partner's pause first, what is new since you last looked, an "
      "invitation to check in, today's prompt. Skip any of it.");
  on(today_cmd, run, [](Context& c) { return hc::run_today(c); });

  hc::AppreciateOptions appreciate;
  std::vector<std::string> appreciate_words;
  auto* appreciate_cmd = app.add_subcommand(
      "appreciate", "Share a short appreciation with your partner. Nothing counts them.");
  appreciate_cmd->add_option("text", appreciate_words, "What you appreciate")->required();
  on(appreciate_cmd, run, [&](Context& c) {
    appreciate.text = joined(appreciate_words).value_or("");
    return hc::run_appreciate(c, appreciate);
  });

  // ------------------------------------------------------------ pause
  hc::PauseOptions pause;
  auto* pause_cmd = app.add_subcommand(
      "pause",
      "Take a break, alone and at once. Your partner's Hearth shows your pause first, and "
      "what they share waits until it ends. Your pause is yours: only you end it. It lasts "
      "30 minutes unless you say otherwise; pausing again changes it.");
  auto* for_opt = pause_cmd->add_option(
      "--for", pause.duration, "How long: 20m to 24h, e.g. 45m, 2h or 1h30m (default 30m)");
  auto* until_opt = pause_cmd->add_option("--until", pause.until,
                                          "When you will be back, e.g. 16:20 (today or tomorrow)");
  for_opt->excludes(until_opt);
  pause_cmd->add_option("--note", pause.note, "A few words for your partner");
  on(pause_cmd, run, [&](Context& c) { return hc::run_pause(c, pause); });

  auto* resume_cmd = app.add_subcommand(
      "resume", "End your own pause. Your partner's pause is theirs to end.");
  on(resume_cmd, run, [](Context& c) { return hc::run_resume(c); });

  // ------------------------------------------------------------ export, config
  hc::ExportOptions exp;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write everything on this device into one plaintext document, to stdout or a "
      "file that only you can read. `--format html` makes one self-contained page, with the "
      "capacity calendar, to read or to bring to a therapist.");
  export_cmd
      ->add_option("--format", exp.format,
                   "markdown, json or html (default markdown; json "
                   "with --json)")
      ->check(CLI::IsMember({"markdown", "json", "html"}));
  export_cmd->add_option("--out", exp.out, "Write to FILE (mode 0600) instead of stdout");
  export_cmd->add_flag("--force", exp.force, "Replace FILE if it exists");
  export_cmd->add_option("--since", exp.since,
                         "Only what was written or changed on or after this local day "
                         "(YYYY-MM-DD)");
  export_cmd->add_flag("--mine", exp.mine,
                       "Only your own entries, without your partner's words or their row of "
                       "the calendar");
  on(export_cmd, run, [&](Context& c) { return hc::run_export(c, exp); });

  auto* config_cmd = app.add_subcommand(
      "config",
      "Read or change a setting. Those of this computer live in hearth.conf in Hearth's "
      "folder, and work whether hearthd runs or not.");
  config_cmd->require_subcommand(1);
  hc::ConfigOptions config;
  std::string config_value;
  auto* cget = config_cmd->add_subcommand("get", "Print a setting's value, e.g. `discovery`.");
  cget->add_option("key", config.key, "The setting")->required();
  on(cget, run, [&](Context& c) { return hc::run_config(c, config); });
  auto* cset = config_cmd->add_subcommand(
      "set",
      "Change a setting: `listen-address auto|off|IP` and `listen-port 7420` (where your "
      "partner's device connects), `discovery on|off` (find each other on the local network), "
      "`auto-lock 30m|off` (lock after that long without a `hearth` command; 1m to 24h), "
      "`quiet-hours 22:00-08:00|off`, `unlock-with-login on|off` (keep the unlock key in your "
      "desktop keyring), `prompt-depth 1|2|3`, `notify-entries on|off`, `stop-word WORDS`.");
  cset->add_option("key", config.key, "The setting")->required();
  cset->add_option("value", config_value, "The new value")->required();
  cset->add_option("--passphrase-file", config.passphrase_file,
                   "unlock-with-login on: read the passphrase from the first line of FILE");
  on(cset, run, [&](Context& c) {
    config.value = config_value;
    if (hearth::config::in_file(config.key)) return hc::run_file_config(c, config, keyring.get());
    return hc::run_config(c, config);
  });
  auto* config_list_cmd = config_cmd->add_subcommand("list", "Show the settings and their values.");
  on(config_list_cmd, run, [](Context& c) { return hc::run_config_list(c); });

  auto* rebuild_cmd = app.add_subcommand(
      "rebuild",
      "Rebuild the derived tables (lists, statuses) from the event log; nothing is lost. "
      "For when something looks wrong.");
  on(rebuild_cmd, run, [](Context& c) { return hc::run_rebuild(c); });

  std::vector<std::string> help_words;
  auto* help_cmd = app.add_subcommand(
      "help",
      "Show what a command does and takes, e.g. `hearth help reflect add`. `hearth help "
      "crisis` lists people to talk to when things are too much.");
  help_cmd->add_option("command", help_words, "The command, and its subcommand if any");

  add_globals(&app, global);

  if (argc <= 1) {
    // `hearth` alone: on a terminal, once set up, the day's page; else what
    // there is to do.
    hearth::Result<std::string> home = hearth::resolve_home("");
    hc::Terminal term = hc::Terminal::detect();
    if (home && term.stdout_tty && hearth::path_exists(hearth::HomePaths{*home}.keys())) {
      hearth::HomePaths paths{*home};
      hc::ControlClient client(paths.control_socket(), paths.home);
      Context ctx{global, paths, client, std::cout, std::cerr, term, hc::now_ms()};
      const int rc = hc::run_today(ctx);
      if (rc == hc::kExitOk) std::cout << "`hearth help` lists everything else.\n" << std::flush;
      return rc;
    }
    std::cout << app.help() << std::flush;
    return hc::kExitOk;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    const Explained explained = explain_mistake(app, argc, argv, e);
    if (explained.help) {
      std::cout << help_text(explained.help) << std::flush;
      return hc::kExitOk;
    }
    print_usage_error(argc, argv, explained.message);
    return hc::kExitUsage;
  }
  // Hidden options: the build's man page and completions, and the IDs the
  // shells complete.
  if (hearth::cli::print_doc_if_asked(app, "hearth", hearth::cli::hearth_man_extras(),
                                      hearth::cli::hearth_id_kinds()))
    return hc::kExitOk;
  if (!complete_ids.empty()) {
    hearth::Result<std::string> home = hearth::resolve_home(global.home);
    if (!home) return hc::kExitUnavailable;
    hearth::HomePaths paths{*home};
    hc::ControlClient client(paths.control_socket(), paths.home);
    Context ctx{global, paths, client, std::cout, std::cerr, hc::Terminal::detect(), hc::now_ms()};
    return hc::run_complete_ids(ctx, complete_ids);
  }
  if (help_cmd->parsed() && help_words.size() == 1 && help_words[0] == "crisis") {
    hearth::Result<std::string> home = hearth::resolve_home(global.home);
    hearth::HomePaths paths{home ? *home : std::string()};
    hc::ControlClient client(paths.control_socket(), paths.home);
    Context ctx{global, paths, client, std::cout, std::cerr, hc::Terminal::detect(), hc::now_ms()};
    return hc::run_help_crisis(ctx);
  }
  if (help_cmd->parsed()) {
    const Explained topic = help_for(app, help_words);
    if (!topic.help) {
      print_usage_error(argc, argv, topic.message);
      return hc::kExitUsage;
    }
    std::cout << help_text(topic.help) << std::flush;
    return hc::kExitOk;
  }

  hearth::Result<std::string> home = hearth::resolve_home(global.home);
  hc::Terminal term = hc::Terminal::detect();
  hearth::HomePaths paths{home ? *home : std::string()};
  hc::ControlClient client(paths.control_socket(), paths.home);
  Context ctx{global, paths, client, std::cout, std::cerr, term, hc::now_ms()};
  if (!home) return hc::fail(ctx, home.status());
  if (!run) return hc::fail(ctx, hearth::Status::internal("no command chosen"));
  return run(ctx);
}
