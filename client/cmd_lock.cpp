// unlock, lock, passphrase set|change|remove.
//
// Who rewrites the key file: whoever holds the home's lock (util/home_lock.h).
// While hearthd runs it holds that lock, so `hearth passphrase` asks hearthd
// to re-seal the file (Argon2id runs on its worker thread, and it learns at
// once whether the keys are sealed); while hearthd is stopped, `hearth` takes
// the lock itself and re-seals the file directly, so no daemon can start
// half-way through. Either way the file is replaced atomically.
#include <optional>
#include <ostream>

#include "client/command_util.h"
#include "client/commands.h"
#include "client/json.h"
#include "crypto/keyfile.h"
#include "util/home_lock.h"

namespace hearth::client {
namespace {

// The key file's public part, or a calm error when Hearth is not set up.
Result<crypto::KeyFileInfo> key_file_info(const Context& ctx) {
  auto info = crypto::read_key_file_info(ctx.paths.keys());
  if (!info && info.status().code() == Code::kNotFound)
    return Status::not_found("Hearth is not set up in " + ctx.paths.home +
                             " yet; run `hearth init` first");
  return info;
}

void say_to(Context& ctx, std::string_view line) { ctx.err << line << "\n" << std::flush; }

Result<Secret> passphrase_from_file(Context& ctx, const std::string& path, bool is_new) {
  HEARTH_ASSIGN_OR_RETURN(Secret s, read_passphrase_file(path));
  if (is_new) warn_if_short(s, [&ctx](std::string_view line) { say_to(ctx, line); });
  return s;
}

// Asks for the passphrase that opens the keys and hands it to `check`: from
// --passphrase-file once, else on the terminal (3 tries).
Status with_current_passphrase(Context& ctx, const std::string& file, std::string_view prompt,
                               const std::function<Status(const Secret&)>& check) {
  if (!file.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Secret s, passphrase_from_file(ctx, file, false));
    return check(s);
  }
  if (!ctx.term.stdin_tty)
    return Status::invalid("no terminal to ask for the passphrase: pass --passphrase-file FILE");
  return ask_until_accepted(ctx.passphrase_io(), prompt, check);
}

}  // namespace

int run_unlock(Context& ctx, const UnlockOptions& o) {
  Result<crypto::KeyFileInfo> info = key_file_info(ctx);
  if (!info) return fail(ctx, info.status());
  // Before any prompt: is hearthd there at all, and was it locked?
  Result<StatusInfo> before = ask_for<StatusInfo>(ctx, request::status());
  if (!before) return fail(ctx, before.status());

  Result<Reply> reply = Status::internal("no answer");
  if (!info->sealed) {
    reply = ask(ctx, request::unlock(Secret()).view());
  } else {
    Status st = with_current_passphrase(
        ctx, o.passphrase_file, "Passphrase: ", [&](const Secret& passphrase) {
          reply = ask(ctx, request::unlock(passphrase).view(), Wait::kLong);
          return reply.status();
        });
    if (!st.is_ok()) return fail(ctx, st);
  }
  if (!reply) return fail(ctx, reply.status());
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else if (!before->locked && !info->sealed) {
    ctx.out << "Hearth is unlocked. This device's keys have no passphrase; `hearth passphrase "
               "set` adds one.\n";
  } else if (!before->locked) {
    ctx.out << "Hearth was already unlocked, and that is the right passphrase.\n";
  } else {
    ctx.out << "Unlocked.\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_lock(Context& ctx) {
  Result<StatusInfo> before = ask_for<StatusInfo>(ctx, request::status());
  if (!before) return fail(ctx, before.status());
  // The daemon answers once its keys are wiped: after the partner heard
  // goodbye (at most a few seconds).
  Result<StatusInfo> after = ask_for<StatusInfo>(ctx, request::lock(), Wait::kLong);
  if (!after) return fail(ctx, after.status());
  if (ctx.json()) {
    print_json(ctx, *after);
    return kExitOk;
  }
  if (before->locked) {
    ctx.out << "Hearth was already locked. `hearth unlock` opens it.\n";
  } else {
    ctx.out << "Locked. The keys are wiped from hearthd's memory, and nothing syncs until\n"
               "`hearth unlock`.\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_passphrase(Context& ctx, const PassphraseOptions& o) {
  Result<crypto::KeyFileInfo> info = key_file_info(ctx);
  if (!info) return fail(ctx, info.status());
  const PassphraseCommand cmd = o.command;
  if (cmd == PassphraseCommand::kSet && info->sealed)
    return fail(ctx, Status::refused("this device's keys already have a passphrase; `hearth "
                                     "passphrase change` changes it"));
  if (cmd != PassphraseCommand::kSet && !info->sealed)
    return fail(ctx, Status::refused("this device's keys have no passphrase; `hearth passphrase "
                                     "set` adds one"));
  if (cmd == PassphraseCommand::kRemove) {
    if (Status st = can_confirm(ctx, o.yes); !st.is_ok()) return fail(ctx, st);
    if (!o.yes) {
      ctx.err << "Without a passphrase your keys are stored unsealed: anyone who can read your\n"
                 "files (a backup, a lost disk without disk encryption) can read your entries,\n"
                 "and `hearth lock` is no longer possible.\n"
              << std::flush;
      Result<bool> go = confirmed(ctx, o.yes, "Remove the passphrase?");
      if (!go) return fail(ctx, go.status());
      if (!*go) {
        ctx.err << "Nothing was changed.\n" << std::flush;
        return kExitOk;
      }
    }
  }

  // The daemon holds the home's lock while it runs; if we get it, no daemon
  // runs and none can start until we are done.
  std::optional<HomeLock> home_lock;
  {
    Result<HomeLock> taken = HomeLock::try_take(ctx.paths.lock());
    if (taken) {
      home_lock.emplace(std::move(taken).value());
    } else if (taken.status().code() != Code::kRefused) {
      return fail(ctx, taken.status());
    }
  }
  const bool direct = home_lock.has_value();
  const PassphraseChange change = cmd == PassphraseCommand::kSet      ? PassphraseChange::kSet
                                  : cmd == PassphraseCommand::kChange ? PassphraseChange::kChange
                                                                      : PassphraseChange::kRemove;
  const crypto::PassphraseAction action =
      cmd == PassphraseCommand::kSet      ? crypto::PassphraseAction::kSet
      : cmd == PassphraseCommand::kChange ? crypto::PassphraseAction::kChange
                                          : crypto::PassphraseAction::kRemove;
  auto apply = [&](const Secret* current, const Secret* replacement) -> Status {
    if (direct) return crypto::change_passphrase(ctx.paths.keys(), action, current, replacement);
    return ask(ctx, request::change_passphrase(change, current, replacement).view(), Wait::kLong)
        .status();
  };

  // The new passphrase, asked once (after the current one, for change).
  std::optional<Secret> replacement;
  auto new_passphrase = [&]() -> Status {
    if (replacement || cmd == PassphraseCommand::kRemove) return Status::ok();
    if (!o.new_passphrase_file.empty()) {
      HEARTH_ASSIGN_OR_RETURN(Secret s, passphrase_from_file(ctx, o.new_passphrase_file, true));
      replacement.emplace(std::move(s));
      return Status::ok();
    }
    if (!ctx.term.stdin_tty)
      return Status::invalid(
          "no terminal to ask for the new passphrase: pass --new-passphrase-file FILE");
    HEARTH_ASSIGN_OR_RETURN(Secret s, ask_new_passphrase(ctx.passphrase_io()));
    replacement.emplace(std::move(s));
    return Status::ok();
  };

  Status done;
  if (cmd == PassphraseCommand::kSet) {
    if (ctx.term.stdin_tty && o.new_passphrase_file.empty())
      say_to(ctx,
             "Choose a passphrase. It seals your keys on this computer; it cannot be recovered "
             "if forgotten.");
    done = new_passphrase();
    if (done.is_ok()) done = apply(nullptr, &*replacement);
  } else {
    done = with_current_passphrase(ctx, o.passphrase_file,
                                   "Current passphrase: ", [&](const Secret& current) -> Status {
                                     HEARTH_TRY(new_passphrase());
                                     return apply(&current, replacement ? &*replacement : nullptr);
                                   });
  }
  if (!done.is_ok()) return fail(ctx, done);

  if (ctx.json()) {
    JsonWriter w;
    w.begin_object();
    w.key("sealed").value(cmd != PassphraseCommand::kRemove);
    w.key("through").value(direct ? "key_file" : "daemon");
    w.end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  switch (cmd) {
    case PassphraseCommand::kSet:
      ctx.out << "Your keys are now sealed with the passphrase. `hearth lock` wipes them from\n"
                 "hearthd's memory; `hearth unlock` opens them again.\n";
      break;
    case PassphraseCommand::kChange:
      ctx.out << "The passphrase is changed. Use the new one from now on.\n";
      break;
    case PassphraseCommand::kRemove:
      ctx.out << "The passphrase is removed. Your keys are stored unsealed, protected only by\n"
                 "the permissions of your files.\n";
      break;
  }
  if (direct) ctx.out << "(hearthd is not running; the key file was changed directly.)\n";
  ctx.out << std::flush;
  return kExitOk;
}

}  // namespace hearth::client
