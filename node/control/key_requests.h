// The requests that open, close and re-seal the keys: unlock, lock and
// changePassphrase (PROTOCOL.md §7).
//
// - unlock checks the passphrase against the key file every time, also when
//   the daemon is already unlocked: a wrong one is refused (wrongPassphrase),
//   a right one answers `status`.
// - lock answers `status` (locked) once the keys are wiped, or is refused
//   when the key file has no passphrase.
// - changePassphrase re-seals the key file (crypto::change_passphrase) and
//   answers `ok`; the daemon stays locked or unlocked as it was.
//
// Argon2id runs through the PassphraseGate when there is one (hearthd: on
// its worker thread, with a backoff after wrong passphrases); without one
// (tests, fuzzing) it runs inline and each answer is sent before the call
// returns.
#pragma once

#include <functional>
#include <memory>

#include "control/sink.h"
#include "crypto/keyfile.h"
#include "runtime/daemon_state.h"
#include "util/secret.h"

namespace hearth::control {

class PassphraseGate;  // control/passphrase_gate.h

class KeyRequests {
 public:
  explicit KeyRequests(runtime::DaemonState& state) : state_(state) {}
  // Not owned; must outlive this.
  void set_gate(PassphraseGate* gate) { gate_ = gate; }

  // The passphrases come read from the request, in wiped memory; each is
  // shared with the job that checks it and wiped when both are done.
  void unlock(std::shared_ptr<Secret> passphrase, std::shared_ptr<ResponseSink> out);
  // As unlock, with the unlock key from the desktop keyring (no Argon2id):
  // wrongPassphrase when it does not open the keys; through the gate, so
  // wrong keys meet the same backoff as wrong passphrases.
  void unlock_with_key(std::shared_ptr<Secret> key, std::shared_ptr<ResponseSink> out);
  void lock(std::shared_ptr<ResponseSink> out);
  void change_passphrase(crypto::PassphraseAction action, std::shared_ptr<Secret> current,
                         std::shared_ptr<Secret> replacement, std::shared_ptr<ResponseSink> out);

 private:
  // Runs `work` through the gate, or inline without one.
  void run(std::function<Status()> work, std::function<void(Status)> done);

  runtime::DaemonState& state_;
  PassphraseGate* gate_ = nullptr;
};

}  // namespace hearth::control
