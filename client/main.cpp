// hearth: the command table. Parses the command line with CLI11 into the
// plain option structs of commands.h and runs the chosen command. This is the
// only file that includes CLI11 (it is slow to compile); the commands live in
// the other files of client/.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/commands.h"
#include "client/render_json.h"
#include "client/timefmt.h"
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

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // What `hearth` creates (the home, key file and store at `init`, exports,
  // the editor's file) is for this user alone, whatever the umask; each of
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
  app.set_version_flag("--version", HEARTH_VERSION);

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
      "unlock", "Open the keys with your passphrase so the daemon can read and sync entries.");
  unlock_cmd->add_option("--passphrase-file", unlock.passphrase_file,
                         "Read the passphrase from the first line of FILE");
  on(unlock_cmd, run, [&](Context& c) { return hc::run_unlock(c, unlock); });

  hc::ListOptions log;
  auto* log_cmd = app.add_subcommand(
      "log",
      "Show the activity log: every network action the daemon took. It never holds "
      "what you wrote.");
  add_limit(log_cmd, log);
  on(log_cmd, run, [&](Context& c) { return hc::run_log(c, log); });

  auto* watch_cmd = app.add_subcommand(
      "watch", "Show your partner's changes as they arrive, any pause first. Ctrl-C stops.");
  on(watch_cmd, run, [](Context& c) { return hc::run_watch(c); });

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
  auto* invite_cmd = pair_cmd->add_subcommand(
      "invite",
      "Print a short pairing code for your partner, then wait until they join. "
      "The code works for 10 minutes and 3 attempts.");
  on(invite_cmd, run, [](Context& c) { return hc::run_pair_invite(c); });

  hc::PairJoinOptions join;
  std::vector<std::string> join_words;
  auto* join_cmd = pair_cmd->add_subcommand(
      "join", "Pair using the code your partner's `hearth pair invite` shows.");
  join_cmd->add_option("code", join_words, "The code's words, with dashes or spaces")->required();
  join_cmd->add_option("--address", join.address, "Your partner's computer, as HOST:PORT")
      ->required();
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
  on(add_cmd, run, [&](Context& c) { return hc::run_pair_add(c, pair_add); });

  hc::UnpairOptions unpair;
  auto* unpair_cmd = app.add_subcommand(
      "unpair",
      "Stop syncing with your partner at once and forget their keys. It needs no "
      "approval and is silent. Asks first on a terminal; elsewhere needs --yes.");
  unpair_cmd->add_flag("--erase-shared", unpair.erase_shared,
                       "Also erase your partner's shared entries from this device");
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
      "Write a reflection. Without TEXT your editor opens; with - it is read from stdin. "
      "It stays private unless you add --share.");
  radd_cmd->add_option("text", radd_words, "The reflection (or - to read stdin)");
  radd_cmd->add_flag("--share", radd.share, "Share it with your partner");
  radd_cmd->add_option("--feeling", radd.feelings, "A feeling to note (repeat for more)")
      ->expected(1)
      ->allow_extra_args(false)  // one value per --feeling; the rest is TEXT
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  radd_cmd->add_option("--prompt", radd.prompt_id, "The id of the prompt this answers");
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

  // ------------------------------------------------------------ boundaries
  auto* boundary_cmd = app.add_subcommand(
      "boundary",
      "Propose and agree on boundaries. Either of you can withdraw consent at any "
      "time, alone.");
  boundary_cmd->require_subcommand(1);

  hc::BoundaryProposeOptions propose;
  std::vector<std::string> propose_words;
  auto* propose_cmd = boundary_cmd->add_subcommand(
      "propose", "Propose a boundary. It is in force once your partner agrees.");
  propose_cmd->add_option("text", propose_words, "The boundary, in your words")->required();
  propose_cmd->add_option("--category", propose.category, "A word to group it by");
  on(propose_cmd, run, [&](Context& c) {
    propose.text = joined(propose_words).value_or("");
    return hc::run_boundary_propose(c, propose);
  });

  hc::BoundaryReviseOptions revise;
  std::vector<std::string> revise_words;
  auto* revise_cmd = boundary_cmd->add_subcommand(
      "revise",
      "Propose a new wording. If you had both agreed on an earlier one, that stays in "
      "force until your partner agrees to the new one.");
  revise_cmd->add_option("id", revise.id, kIdHelp)->required();
  revise_cmd->add_option("text", revise_words, "The new wording")->required();
  on(revise_cmd, run, [&](Context& c) {
    revise.text = joined(revise_words).value_or("");
    return hc::run_boundary_revise(c, revise);
  });

  hc::BoundaryRespondOptions respond;
  struct Verb {
    const char* name;
    const char* help;
    hc::BoundaryAction action;
  };
  const Verb verbs[] = {
      {"agree", "Agree to the latest wording of a boundary.", hc::BoundaryAction::kAgree},
      {"decline", "Decline the latest wording of a boundary.", hc::BoundaryAction::kDecline},
      {"discuss", "Say you would like to talk the latest wording over first.",
       hc::BoundaryAction::kDiscuss},
      {"withdraw", "Withdraw your consent to a boundary, at once. It is no longer in force.",
       hc::BoundaryAction::kWithdraw},
  };
  for (const Verb& verb : verbs) {
    auto* cmd = boundary_cmd->add_subcommand(verb.name, verb.help);
    cmd->add_option("id", respond.id, kIdHelp)->required();
    cmd->add_option("--note", respond.note, "A few words for your partner");
    const hc::BoundaryAction action = verb.action;
    on(cmd, run, [&respond, action](Context& c) {
      respond.action = action;
      return hc::run_boundary_respond(c, respond);
    });
  }

  hc::ListOptions blist;
  auto* blist_cmd = boundary_cmd->add_subcommand(
      "list",
      "Show boundaries with their status (agreed, renegotiating, proposed, declined, "
      "discussing, withdrawn) and revisions.");
  add_limit(blist_cmd, blist);
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
  on(clist_cmd, run, [&](Context& c) { return hc::run_checkin_list(c, clist); });
  checkin_cmd->callback([&, clist_cmd] {
    if (!clist_cmd->parsed()) run = [&](Context& c) { return hc::run_checkin(c, checkin); };
  });

  // ------------------------------------------------------------ pause
  hc::PauseOptions pause;
  auto* pause_cmd = app.add_subcommand(
      "pause",
      "Take a break, alone and at once: your partner's Hearth shows the pause first. "
      "It lasts 30 minutes unless you say otherwise.");
  pause_cmd->add_option("--for", pause.duration,
                        "How long: 20m to 24h, e.g. 45m, 2h or 1h30m (default 30m)");
  pause_cmd->add_option("--note", pause.note, "A few words for your partner");
  on(pause_cmd, run, [&](Context& c) { return hc::run_pause(c, pause); });

  auto* resume_cmd = app.add_subcommand("resume", "End the current pause.");
  on(resume_cmd, run, [](Context& c) { return hc::run_resume(c); });

  // ------------------------------------------------------------ export, config
  hc::ExportOptions exp;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write everything on this device into one plaintext document, to stdout or a "
      "file that only you can read.");
  export_cmd
      ->add_option("--format", exp.format,
                   "markdown or json (default markdown; json "
                   "with --json)")
      ->check(CLI::IsMember({"markdown", "json"}));
  export_cmd->add_option("--out", exp.out, "Write to FILE (mode 0600) instead of stdout");
  export_cmd->add_flag("--force", exp.force, "Replace FILE if it exists");
  on(export_cmd, run, [&](Context& c) { return hc::run_export(c, exp); });

  auto* config_cmd = app.add_subcommand("config", "Read or change a setting of the daemon.");
  config_cmd->require_subcommand(1);
  hc::ConfigOptions config;
  std::string config_value;
  auto* cget = config_cmd->add_subcommand("get", "Print a setting's value, e.g. `discovery`.");
  cget->add_option("key", config.key, "The setting")->required();
  on(cget, run, [&](Context& c) { return hc::run_config(c, config); });
  auto* cset = config_cmd->add_subcommand(
      "set", "Change a setting, e.g. `discovery off` to stop LAN discovery beacons.");
  cset->add_option("key", config.key, "The setting")->required();
  cset->add_option("value", config_value, "The new value")->required();
  on(cset, run, [&](Context& c) {
    config.value = config_value;
    return hc::run_config(c, config);
  });

  auto* rebuild_cmd = app.add_subcommand(
      "rebuild",
      "Rebuild the derived tables (lists, statuses) from the event log; nothing is lost. "
      "For when something looks wrong.");
  on(rebuild_cmd, run, [](Context& c) { return hc::run_rebuild(c); });

  add_globals(&app, global);

  if (argc <= 1) {  // `hearth` alone: show what there is to do
    std::cout << app.help() << std::flush;
    return hc::kExitOk;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    if (wants_json(argc, argv))
      std::cout << hc::json_error_document("usage", e.what()) << std::flush;
    app.exit(e);
    return hc::kExitUsage;
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
