// The commands of `hearth` (docs/DESIGN.md §8.2), one function each.
//
// main.cpp parses the command line (CLI11) into the plain option structs
// below and calls the matching run_* function; nothing here depends on CLI11
// or on Cap'n Proto, so every command can be run in a test against a fake
// Daemon. Each function returns the process exit code:
//   0 ok, 1 usage, 2 daemon not running or locked, 3 refused, 4 internal.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "client/control_client.h"
#include "client/passphrase_prompt.h"
#include "client/reply.h"
#include "client/terminal.h"
#include "util/files.h"
#include "util/status.h"

namespace hearth::client {

struct Pacing;   // client/reconnecting_stream.h
class Notifier;  // client/notifier.h

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitUnavailable = 2,
  kExitRefused = 3,
  kExitInternal = 4,
};

struct GlobalOptions {
  std::string home;   // --home; empty: $HEARTH_HOME, then the XDG default
  bool json = false;  // --json
};

// What every command works with. Streams and the terminal are injectable so
// tests can capture output and pretend to be (or not be) a terminal.
struct Context {
  GlobalOptions global;
  HomePaths paths;
  Daemon& daemon;
  std::ostream& out;
  std::ostream& err;
  Terminal term;
  int64_t now = 0;  // ms since the epoch, for "today 16:32"
  // Where passphrases are asked; null: the terminal. Tests give a script.
  const PassphraseIo* passphrases = nullptr;

  bool json() const { return global.json; }
  PassphraseIo passphrase_io() const {
    return passphrases ? *passphrases : terminal_passphrase_io();
  }
};

// The JSON error code and exit code for a failed Status:
//   kInvalidArgument "usage" 1; kUnavailable "not_running" 2; kLocked "locked" 2;
//   kRefused, kAuthFailed "refused" 3; kNotFound "not_found" 3;
//   kIo "io" 4; anything else "internal" 4.
const char* error_code_name(Code code);
int exit_code_for(Code code);
// The Status a daemon Error stands for (usage -> kInvalidArgument, ...).
Status status_of(const DaemonError& error);

// Reports `status` (JSON document on stdout with --json, and a line on
// stderr, written as a sentence: capital first letter, full stop) and returns
// its exit code.
int fail(Context& ctx, const Status& status);

// ---------------------------------------------------------------- options

struct InitOptions {
  std::string name;
  bool no_passphrase = false;
  std::string passphrase_file;
};

struct UnlockOptions {
  std::string passphrase_file;
  bool from_keyring = false;  // the key from the desktop keyring (client/keyring_unlock.h)
};

enum class PassphraseCommand { kSet, kChange, kRemove };

struct PassphraseOptions {
  PassphraseCommand command = PassphraseCommand::kSet;
  std::string passphrase_file;      // the current one (change, remove)
  std::string new_passphrase_file;  // the new one (set, change)
  bool yes = false;                 // remove: skip the question
};

struct ListOptions {
  uint32_t limit = 20;    // 0: all
  bool all = false;       // boundary list: history too (left, retired, declined)
  bool archived = false;  // reflect list, checkin list: the archived ones instead
};

struct SyncOptions {
  bool wait = false;
};

// What was shared while unpaired goes to the new partner only when its
// author says so (docs/DESIGN.md §1.7, §7.3): --send-earlier, or "yes"
// to the question asked on a terminal.
struct SendEarlierOptions {
  bool send_earlier = false;
  bool keep_earlier = false;  // --keep-earlier: no, without asking
};

struct PairInviteOptions {
  SendEarlierOptions earlier;
};

struct PairJoinOptions {
  std::string code;
  std::string address;
  SendEarlierOptions earlier;
};

struct PairAddOptions {
  std::string device_id;
  std::string address;
  SendEarlierOptions earlier;
};

struct UnpairOptions {
  bool erase_shared = false;
  bool yes = false;
};

struct PeerOptions {
  std::string address;
};

struct ReflectAddOptions {
  std::optional<std::string> text;  // "-": read stdin; absent: from_file, else the editor
  std::string from_file;            // --from FILE
  bool share = false;
  std::vector<std::string> feelings;
  std::string prompt_id;
  std::string reply_to;
  std::string content_note;  // shown to the partner before the words
};

struct ReflectTargetOptions {
  std::string id;
  bool yes = false;  // forget: skip the question
};

struct ReflectEditOptions {
  std::string id;
  std::optional<std::string> text;  // as in ReflectAddOptions
  std::string from_file;
  std::vector<std::string> feelings;  // non-empty: replace the feelings
};

struct BoundaryProposeOptions {
  std::string text;
  std::string category;
};

struct BoundaryReviseOptions {
  std::string id;
  std::string text;
};

// kLeave leaves an agreement; kRetire retires one's own limit; kDrop takes
// back one's revision of an agreement that waits for an answer.
enum class BoundaryAction { kAgree, kDecline, kDiscuss, kLeave, kRetire, kAcknowledge, kDrop };

struct BoundaryRespondOptions {
  BoundaryAction action = BoundaryAction::kAgree;
  std::string id;
  std::string note;
  std::string ask_again_after;  // decline: "YYYY-MM-DD"; empty: none
};

struct PromptTodayOptions {
  int depth = 0;  // 1..3; 0: the `prompt-depth` setting
};

struct PromptOptions {
  std::string id;                   // "again-012", "ask-…"
  std::optional<std::string> text;  // answer: TEXT, "-" for stdin; absent: the editor
  std::string from_file;            // answer: --from FILE
};

struct PromptAskOptions {
  std::string text;
  int depth = 1;
};

struct YnmOptions {
  std::string round;  // a round's ID as shown; empty: the newest
};

struct YnmAnswerOptions {
  std::string item;    // "ynm-007"
  std::string choice;  // yes | no | maybe
  std::string note;    // only for oneself
};

struct AppreciateOptions {
  std::string text;
};

struct CheckInReplyOptions {
  std::string id;
  std::string text;
  bool tonight = false;   // "I can do that tonight."
  bool tomorrow = false;  // "Not today, but tomorrow."
};

struct ArchiveOptions {
  std::string kind;  // "reflection" | "checkin"
  std::string id;
  bool undo = false;
};

struct PracticeStartOptions {
  std::string name;
  bool together = false;
  int minutes = 0;       // 0: the practice's usual length
  std::string pattern;   // "IN-OUT" seconds; empty: 5-5
  int stage = 0;         // a staged practice's stage; 0: the first
  std::string capacity;  // a staged practice's check-in; empty: asked on a terminal
};

struct PracticeJoinOptions {
  std::string capacity;
};

struct PracticeStageOptions {
  std::string name;
  int stage = 0;
};

struct CheckInTargetOptions {
  std::string id;
  bool yes = false;  // forget: skip the question
};

struct CheckInOptions {
  std::string capacity;  // empty: ask on a terminal
  std::vector<std::string> feelings;
  std::string need;
  bool share = false;
};

struct PauseOptions {
  std::string duration;  // empty: kDefaultPauseMinutes (or --until)
  std::string until;     // "16:20": back at that time, today or tomorrow
  std::string note;
};

struct ExportOptions {
  std::string format;  // "markdown" | "json" | "html"; empty: json with --json, else markdown
  std::string out;     // empty: stdout
  bool force = false;
  std::string since;  // "YYYY-MM-DD": only what was written from that local day on
  bool mine = false;  // only my own entries (and no partner row in the calendar)
};

struct CalendarOptions {
  int weeks = 4;  // 1..52 whole weeks, the last holding today
};

struct ConfigOptions {
  std::string key;
  std::optional<std::string> value;  // set when present
  std::string passphrase_file;       // unlock-with-login on: the passphrase from FILE
};

// ---------------------------------------------------------------- commands

// Without a daemon.
int run_init(Context& ctx, const InitOptions& o);
int run_id(Context& ctx);

int run_status(Context& ctx);
// Locking and the passphrase (cmd_lock.cpp).
int run_unlock(Context& ctx, const UnlockOptions& o);
int run_lock(Context& ctx);
// With the daemon running, through it (it holds the home's lock); with the
// daemon stopped, on the key file directly, holding the home's lock.
int run_passphrase(Context& ctx, const PassphraseOptions& o);
int run_log(Context& ctx, const ListOptions& o);
// Follows hearthd's changes until Ctrl-C or SIGTERM (exit 0), across
// restarts of hearthd; a lock ends it (exit 2). The first form paces in real
// time (real_pacing()).
int run_watch(Context& ctx);
int run_watch(Context& ctx, const Pacing& pacing);
// Posts desktop notifications (client/notify_policy.h) from hearthd's
// changes until Ctrl-C or SIGTERM (exit 0), waiting for hearthd whenever it
// is not running or locked.
int run_notify(Context& ctx, Notifier& notifier, const Pacing& pacing);
int run_sync(Context& ctx, const SyncOptions& o);

int run_pair_invite(Context& ctx, const PairInviteOptions& o);
int run_pair_join(Context& ctx, const PairJoinOptions& o);
int run_pair_add(Context& ctx, const PairAddOptions& o);
int run_unpair(Context& ctx, const UnpairOptions& o);
int run_peer_add(Context& ctx, const PeerOptions& o);
int run_peer_remove(Context& ctx, const PeerOptions& o);
int run_peer_list(Context& ctx);

int run_reflect_add(Context& ctx, const ReflectAddOptions& o);
int run_reflect_list(Context& ctx, const ListOptions& o);
int run_reflect_show(Context& ctx, const ReflectTargetOptions& o);
int run_reflect_edit(Context& ctx, const ReflectEditOptions& o);
int run_reflect_share(Context& ctx, const ReflectTargetOptions& o);
int run_reflect_forget(Context& ctx, const ReflectTargetOptions& o);

// An agreement (propose) or a limit of one's own (set).
int run_boundary_propose(Context& ctx, const BoundaryProposeOptions& o);
int run_boundary_set(Context& ctx, const BoundaryProposeOptions& o);
int run_boundary_revise(Context& ctx, const BoundaryReviseOptions& o);
int run_boundary_respond(Context& ctx, const BoundaryRespondOptions& o);
int run_boundary_list(Context& ctx, const ListOptions& o);

int run_checkin(Context& ctx, const CheckInOptions& o);
int run_checkin_list(Context& ctx, const ListOptions& o);
int run_checkin_share(Context& ctx, const CheckInTargetOptions& o);
int run_checkin_reply(Context& ctx, const CheckInReplyOptions& o);
// Capacity colours by local day, mine and (shared) my partner's: a day with
// more than one check-in shows the lowest. ANSI colours only when stdout is a
// terminal and NO_COLOR is unset or empty; letters either way.
int run_checkin_calendar(Context& ctx, const CalendarOptions& o);

// Prompts answered blind, yes / no / maybe, appreciations, the archive.
int run_prompt_today(Context& ctx, const PromptTodayOptions& o);
int run_prompt_decks(Context& ctx);
int run_prompt_list(Context& ctx, const ListOptions& o);
int run_prompt_show(Context& ctx, const PromptOptions& o);
int run_prompt_answer(Context& ctx, const PromptOptions& o);
int run_prompt_pass(Context& ctx, const PromptOptions& o);
int run_prompt_reveal(Context& ctx, const PromptOptions& o);
int run_prompt_ask(Context& ctx, const PromptAskOptions& o);
int run_ynm_show(Context& ctx, const YnmOptions& o);
int run_ynm_start(Context& ctx);
int run_ynm_answer(Context& ctx, const YnmAnswerOptions& o);
int run_appreciate(Context& ctx, const AppreciateOptions& o);
int run_archive(Context& ctx, const ArchiveOptions& o);

// Practices, the day's page, care.
int run_practice_list(Context& ctx);
int run_practice_start(Context& ctx, const PracticeStartOptions& o);
int run_practice_join(Context& ctx, const PracticeJoinOptions& o);
int run_practice_stop(Context& ctx);
int run_practice_stage(Context& ctx, const PracticeStageOptions& o);
int run_today(Context& ctx);
// Crisis resources: the person's own list if they keep one, else Hearth's.
int run_help_crisis(Context& ctx);
int run_checkin_forget(Context& ctx, const CheckInTargetOptions& o);

int run_pause(Context& ctx, const PauseOptions& o);
int run_resume(Context& ctx);

int run_export(Context& ctx, const ExportOptions& o);
int run_config(Context& ctx, const ConfigOptions& o);

// Settings file, keyring, reachability, completions (cmd_setup.cpp).
class UnlockKeyStore;
// A setting of HOME/hearth.conf (config/daemon_config.h): through hearthd
// when it runs, else the file directly. `keyring` is for unlock-with-login.
int run_file_config(Context& ctx, const ConfigOptions& o, UnlockKeyStore* keyring);
int run_config_list(Context& ctx);
int run_unlock_from_keyring(Context& ctx, UnlockKeyStore& keyring);
// IDs of entries of `kind` (reflection, boundary, checkin, prompt), one a
// line, for shell completion; nothing when hearthd cannot say.
int run_complete_ids(Context& ctx, const std::string& kind);
// What `hearth status` adds about whether the partner's device can connect.
std::string reachability_note(const std::string& listening, bool paired);
// Recomputes the derived tables (docs/DESIGN.md §5.1) from the event log and the
// private entries; changes no entry.
int run_rebuild(Context& ctx);

}  // namespace hearth::client
