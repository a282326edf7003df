// The commands of `hearth` (DESIGN.md §8), one function each.
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
// stderr) and returns its exit code.
int fail(Context& ctx, const Status& status);

// ---------------------------------------------------------------- options

struct InitOptions {
  std::string name;
  bool no_passphrase = false;
  std::string passphrase_file;
};

struct UnlockOptions {
  std::string passphrase_file;
};

enum class PassphraseCommand { kSet, kChange, kRemove };

struct PassphraseOptions {
  PassphraseCommand command = PassphraseCommand::kSet;
  std::string passphrase_file;      // the current one (change, remove)
  std::string new_passphrase_file;  // the new one (set, change)
  bool yes = false;                 // remove: skip the question
};

struct ListOptions {
  uint32_t limit = 20;  // 0: all
};

struct SyncOptions {
  bool wait = false;
};

struct PairJoinOptions {
  std::string code;
  std::string address;
};

struct PairAddOptions {
  std::string device_id;
  std::string address;
};

struct UnpairOptions {
  bool erase_shared = false;
  bool yes = false;
};

struct PeerOptions {
  std::string address;
};

struct ReflectAddOptions {
  std::optional<std::string> text;  // "-": read stdin; absent: open the editor
  bool share = false;
  std::vector<std::string> feelings;
  std::string prompt_id;
  std::string reply_to;
};

struct ReflectTargetOptions {
  std::string id;
  bool yes = false;  // forget: skip the question
};

struct ReflectEditOptions {
  std::string id;
  std::optional<std::string> text;
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

enum class BoundaryAction { kAgree, kDecline, kDiscuss, kWithdraw };

struct BoundaryRespondOptions {
  BoundaryAction action = BoundaryAction::kAgree;
  std::string id;
  std::string note;
};

struct CheckInOptions {
  std::string capacity;  // empty: ask on a terminal
  std::vector<std::string> feelings;
  std::string need;
  bool share = false;
};

struct PauseOptions {
  std::string duration;  // empty: kDefaultPauseMinutes
  std::string note;
};

struct ExportOptions {
  std::string format;  // "markdown" | "json"; empty: json with --json, else markdown
  std::string out;     // empty: stdout
  bool force = false;
};

struct ConfigOptions {
  std::string key;
  std::optional<std::string> value;  // set when present
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
int run_watch(Context& ctx);
int run_sync(Context& ctx, const SyncOptions& o);

int run_pair_invite(Context& ctx);
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

int run_boundary_propose(Context& ctx, const BoundaryProposeOptions& o);
int run_boundary_revise(Context& ctx, const BoundaryReviseOptions& o);
int run_boundary_respond(Context& ctx, const BoundaryRespondOptions& o);
int run_boundary_list(Context& ctx, const ListOptions& o);

int run_checkin(Context& ctx, const CheckInOptions& o);
int run_checkin_list(Context& ctx, const ListOptions& o);

int run_pause(Context& ctx, const PauseOptions& o);
int run_resume(Context& ctx);

int run_export(Context& ctx, const ExportOptions& o);
int run_config(Context& ctx, const ConfigOptions& o);
// Recomputes the derived tables (DESIGN.md §5) from the event log and the
// private entries; changes no entry.
int run_rebuild(Context& ctx);

}  // namespace hearth::client
