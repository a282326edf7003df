// unlock, lock, passphrase set|change|remove and the passphrase prompts,
// against a fake daemon (or none) with scripted answers at the "terminal".
#include <doctest/doctest.h>

#include <deque>
#include <optional>

#include "client/commands.h"
#include "client/passphrase_prompt.h"
#include "client_fixtures.h"
#include "crypto/keyfile.h"
#include "schema/control.capnp.h"
#include "util/home_lock.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
namespace ctl = hearth::control;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A person at the terminal, typing the lines of a script; nullopt: Ctrl-D.
struct Script {
  std::deque<std::optional<std::string>> answers;
  std::vector<std::string> prompts;
  std::string said;
  PassphraseIo io{
      [this](std::string_view prompt) -> Result<Secret> {
        prompts.emplace_back(prompt);
        REQUIRE_FALSE(answers.empty());
        auto next = std::move(answers.front());
        answers.pop_front();
        if (!next) return Status::invalid("no passphrase was typed; nothing was changed");
        return Secret::copy_of(std::string_view(*next));
      },
      [this](std::string_view line) {
        said += line;
        said += "\n";
      },
  };
  Script(std::initializer_list<std::optional<std::string>> lines) : answers(lines) {}
};

// A Harness whose person answers from `script` on a terminal.
void at_terminal(Harness& h, Script& script) {
  h.ctx.term.stdin_tty = true;
  h.ctx.passphrases = &script.io;
}

StatusInfo status(bool locked) {
  StatusInfo s;
  s.device_id = "MFRGGZD-FMZTWQ2-LK5DHMG-Q3TEMRX-HA4DSMR-ZGA2TGN-BVGQ3TE-ABCDXYZ";
  s.locked = locked;
  return s;
}

DaemonError wrong() {
  return DaemonError{DaemonErrorCode::kWrongPassphrase,
                     "that passphrase does not open this device's keys"};
}

const char* kRight = "a long and private passphrase";

// Writes a key file sealed with kRight (or unsealed) into the harness's home.
crypto::KeyMaterial key_file(Harness& h, bool sealed) {
  auto keys = crypto::KeyMaterial::generate();
  const Secret pass = Secret::copy_of(std::string_view(kRight));
  REQUIRE(crypto::write_key_file(h.ctx.paths.keys(), keys, sealed ? &pass : nullptr).is_ok());
  return keys;
}

// The passphrases in a changePassphrase request sent to the fake daemon.
struct SentChange {
  ctl::PassphraseAction action;
  std::string current;
  std::string replacement;
};
SentChange sent_change(const Bytes& frame) {
  auto reader = parse_request(frame);
  auto req = reader.root<ctl::Request>();
  REQUIRE(req.which() == ctl::Request::CHANGE_PASSPHRASE);
  auto c = req.getChangePassphrase();
  auto text = [](capnp::Data::Reader d) { return std::string(d.begin(), d.end()); };
  return SentChange{c.getAction(), text(c.getCurrent()), text(c.getReplacement())};
}

}  // namespace

TEST_CASE("a new passphrase is asked again after an empty entry or two that differ, 3 tries") {
  SUBCASE("empty, then chosen") {
    Script s{"", "correct horse battery", "correct horse battery"};
    auto p = ask_new_passphrase(s.io);
    REQUIRE(p.is_ok());
    CHECK(p->chars() == "correct horse battery");
    CHECK(contains(s.said, "The passphrase cannot be empty. Please try again."));
  }
  SUBCASE("two that differ, then the same twice") {
    Script s{"correct horse battery", "correct horse batery", "correct horse battery",
             "correct horse battery"};
    auto p = ask_new_passphrase(s.io);
    REQUIRE(p.is_ok());
    CHECK(contains(s.said, "The two passphrases differ. Please try again."));
  }
  SUBCASE("three tries, then it stops having changed nothing") {
    Script s{"", "one passphrase", "another one", ""};
    auto p = ask_new_passphrase(s.io);
    REQUIRE_FALSE(p.is_ok());
    CHECK(p.status().code() == Code::kInvalidArgument);
    CHECK(contains(p.status().message(), "nothing was changed"));
    CHECK(s.answers.empty());
  }
  SUBCASE("Ctrl-D stops at once") {
    Script s{std::nullopt, "never read"};
    CHECK_FALSE(ask_new_passphrase(s.io).is_ok());
    CHECK(s.answers.size() == 1);
  }
}

TEST_CASE("a short new passphrase gets a kind warning and is kept") {
  Script s{"kitten", "kitten"};
  auto p = ask_new_passphrase(s.io);
  REQUIRE(p.is_ok());
  CHECK(p->chars() == "kitten");
  CHECK(contains(s.said, "short (fewer than 8 characters)"));
  CHECK(contains(s.said, "It will work"));
  // Characters, not bytes: eight letters with accents are not short.
  CHECK(passphrase_characters(Secret::copy_of(std::string_view("égalité!"))) == 8);
  Script long_enough{"égalité!", "égalité!"};
  REQUIRE(ask_new_passphrase(long_enough.io).is_ok());
  CHECK(long_enough.said.empty());
}

TEST_CASE(
    "unlock asks again after an empty or wrong passphrase, and never says Unlocked for a wrong "
    "one") {
  SUBCASE("wrong, then right") {
    Harness h;
    key_file(h, true);
    Script s{"", "not it", kRight};
    at_terminal(h, s);
    h.daemon.answer(status(true));
    h.daemon.answer(wrong());
    h.daemon.answer(status(false));
    CHECK(run_unlock(h.ctx, UnlockOptions{}) == kExitOk);
    CHECK(h.out.str() == "Unlocked.\n");
    CHECK(contains(s.said, "The passphrase cannot be empty. Please try again."));
    CHECK(contains(s.said, "That passphrase does not open this device's keys. Please try again."));
    CHECK(h.daemon.requests.size() == 3);  // status, then two unlocks (the empty one never sent)
  }
  SUBCASE("three wrong on a daemon that is already unlocked") {
    Harness h;
    key_file(h, true);
    Script s{"not it", "nor this", "nor that"};
    at_terminal(h, s);
    h.daemon.answer(status(false));
    for (int i = 0; i < 3; ++i) h.daemon.answer(wrong());
    CHECK(run_unlock(h.ctx, UnlockOptions{}) == kExitRefused);
    CHECK(h.out.str().empty());
    CHECK_FALSE(contains(h.err.str(), "Unlocked"));
    CHECK(contains(h.err.str(), "That passphrase does not open this device's keys"));
  }
  SUBCASE("right, on a daemon that was already unlocked") {
    Harness h;
    key_file(h, true);
    Script s{kRight};
    at_terminal(h, s);
    h.daemon.answer(status(false));
    h.daemon.answer(status(false));
    CHECK(run_unlock(h.ctx, UnlockOptions{}) == kExitOk);
    CHECK(h.out.str() == "Hearth was already unlocked, and that is the right passphrase.\n");
  }
  SUBCASE("no daemon: nothing is asked") {
    Harness h;
    key_file(h, true);
    Script s{};
    at_terminal(h, s);
    h.daemon.fail_with(Status::unavailable("hearthd is not running"));
    CHECK(run_unlock(h.ctx, UnlockOptions{}) == kExitUnavailable);
    CHECK(s.prompts.empty());
  }
}

TEST_CASE("init asks again after an empty passphrase") {
  Harness h;
  Script s{"", "a long and private passphrase", "a long and private passphrase"};
  at_terminal(h, s);
  CHECK(run_init(h.ctx, InitOptions{"Sam", false, ""}) == kExitOk);
  CHECK(contains(s.said, "The passphrase cannot be empty. Please try again."));
  auto info = crypto::read_key_file_info(h.ctx.paths.keys());
  REQUIRE(info.is_ok());
  CHECK(info->sealed);
}

TEST_CASE("lock says the keys are wiped, and is refused gently without a passphrase") {
  Harness h;
  h.daemon.answer(status(false));
  h.daemon.answer(status(true));
  CHECK(run_lock(h.ctx) == kExitOk);
  CHECK(contains(h.out.str(), "Locked. The keys are wiped from hearthd's memory"));
  CHECK(parse_request(h.daemon.requests[1]).root<ctl::Request>().which() == ctl::Request::LOCK);

  Harness unsealed;
  unsealed.daemon.answer(status(false));
  unsealed.daemon.answer(DaemonError{DaemonErrorCode::kRefused,
                                     "this device's keys have no passphrase, so nothing could "
                                     "unlock them again; add one with `hearth passphrase set`"});
  CHECK(run_lock(unsealed.ctx) == kExitRefused);
  CHECK(contains(unsealed.err.str(), "hearth passphrase set"));
}

TEST_CASE("passphrase set, change and remove work on the key file while the daemon is stopped") {
  Harness h;
  auto keys = key_file(h, false);
  const std::string next = "the next passphrase";
  {
    Script s{kRight, kRight};
    at_terminal(h, s);
    CHECK(run_passphrase(h.ctx, PassphraseOptions{PassphraseCommand::kSet, "", "", false}) ==
          kExitOk);
    CHECK(contains(h.out.str(), "sealed with the passphrase"));
    CHECK(contains(h.out.str(), "hearthd is not running"));
  }
  CHECK(h.daemon.requests.empty());
  Secret right = Secret::copy_of(std::string_view(kRight));
  REQUIRE(crypto::unlock_key_file(h.ctx.paths.keys(), &right).is_ok());
  {
    // A wrong current passphrase is asked again; the new one only once.
    Script s{"not it", next, next, kRight};
    at_terminal(h, s);
    CHECK(run_passphrase(h.ctx, PassphraseOptions{PassphraseCommand::kChange, "", "", false}) ==
          kExitOk);
    CHECK(contains(s.said, "That passphrase does not open this device's keys. Please try again."));
    CHECK(s.prompts == std::vector<std::string>{"Current passphrase: ", "New passphrase: ",
                                                "Same passphrase again: ", "Current passphrase: "});
  }
  Secret next_secret = Secret::copy_of(std::string_view(next));
  auto opened = crypto::unlock_key_file(h.ctx.paths.keys(), &next_secret);
  REQUIRE(opened.is_ok());
  CHECK(opened->local_key.equals(keys.local_key));
  {
    Script s{next};
    at_terminal(h, s);
    CHECK(run_passphrase(h.ctx, PassphraseOptions{PassphraseCommand::kRemove, "", "", true}) ==
          kExitOk);
  }
  CHECK_FALSE(crypto::read_key_file_info(h.ctx.paths.keys())->sealed);
}

TEST_CASE("passphrase change goes through the daemon while it runs") {
  Harness h;
  key_file(h, true);
  // A running daemon holds the home's lock.
  auto daemon_lock = HomeLock::try_take(h.ctx.paths.lock());
  REQUIRE(daemon_lock.is_ok());
  Script s{kRight, "the next passphrase", "the next passphrase"};
  at_terminal(h, s);
  h.daemon.answer(Ok{});
  CHECK(run_passphrase(h.ctx, PassphraseOptions{PassphraseCommand::kChange, "", "", false}) ==
        kExitOk);
  REQUIRE(h.daemon.requests.size() == 1);
  SentChange sent = sent_change(h.daemon.requests[0]);
  CHECK(sent.action == ctl::PassphraseAction::CHANGE);
  CHECK(sent.current == kRight);
  CHECK(sent.replacement == "the next passphrase");
  CHECK(contains(h.out.str(), "The passphrase is changed"));
  CHECK_FALSE(contains(h.out.str(), "not running"));
}

TEST_CASE("passphrase commands that do not fit the key file are refused before anything is asked") {
  Harness sealed;
  key_file(sealed, true);
  Script none{};
  at_terminal(sealed, none);
  CHECK(run_passphrase(sealed.ctx, PassphraseOptions{PassphraseCommand::kSet, "", "", false}) ==
        kExitRefused);
  CHECK(contains(sealed.err.str(), "hearth passphrase change"));

  Harness unsealed;
  key_file(unsealed, false);
  at_terminal(unsealed, none);
  CHECK(run_passphrase(unsealed.ctx, PassphraseOptions{PassphraseCommand::kRemove, "", "", true}) ==
        kExitRefused);
  CHECK(contains(unsealed.err.str(), "hearth passphrase set"));

  // Removing needs a confirmation: without a terminal, --yes.
  Harness no_tty;
  key_file(no_tty, true);
  CHECK(run_passphrase(no_tty.ctx, PassphraseOptions{PassphraseCommand::kRemove, "", "", false}) ==
        kExitUsage);
  CHECK(contains(no_tty.err.str(), "--yes"));
  CHECK(none.prompts.empty());
  CHECK(crypto::read_key_file_info(no_tty.ctx.paths.keys())->sealed);
}

TEST_CASE(
    "setting auto-lock on keys without a passphrase says it starts working once there is one") {
  Harness h;
  key_file(h, false);
  h.daemon.answer(ConfigEntry{"auto-lock", "30m"});
  CHECK(run_config(h.ctx, ConfigOptions{"auto-lock", std::string("30m"), {}}) == kExitOk);
  CHECK(h.out.str() == "auto-lock is now 30m\n");
  CHECK(contains(h.err.str(), "hearth passphrase set"));

  Harness sealed;
  key_file(sealed, true);
  sealed.daemon.answer(ConfigEntry{"auto-lock", "30m"});
  CHECK(run_config(sealed.ctx, ConfigOptions{"auto-lock", std::string("30m"), {}}) == kExitOk);
  CHECK(sealed.err.str().empty());
}
