// The one control dispatcher: parses each request once, refuses what needs
// the keys while locked (ErrorCode.locked until `hearth unlock`), calls the
// function that serves it and sends its answer. Every request is served
// here or by a function this file names: journal_requests.h (reflections,
// boundaries, check-ins, pauses), prompt_requests.h, practice_requests.h,
// key_requests.h (unlock, lock, passphrases) and network_requests.h (the
// partner, addresses, settings), and status, log and watch here.
//
// A request the daemon does not know (a union member added by a newer
// client, schema/PROTOCOL.md §7) is refused; a request that does not decode,
// or whose fields do not, gets `usage`. Either way the connection then ends.
//
// Single-threaded: the daemon's io thread. No Asio and no Cap'n Proto in
// this header.
#pragma once

#include <functional>
#include <memory>

#include "control/sink.h"
#include "runtime/daemon_state.h"

namespace hearth::control {

class KeyRequests;      // control/key_requests.h
class NetworkRequests;  // control/network_requests.h
class PassphraseGate;   // control/passphrase_gate.h

class Handler : public RequestHandler {
 public:
  explicit Handler(runtime::DaemonState& state);
  ~Handler() override;
  // The partner and network requests, while the network services run;
  // null while locked or without them (they are then refused). Not owned.
  void set_network(NetworkRequests* network) { network_ = network; }
  // Argon2id (unlock, changePassphrase) goes through `gate`; without one it
  // runs inline (tests). Not owned.
  void set_passphrase_gate(PassphraseGate* gate);
  // Runs before each request is handled (the auto-lock's idle time).
  void on_request(std::function<void()> hook) { on_request_ = std::move(hook); }
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  struct Dispatch;  // handler.cpp

  runtime::DaemonState& state_;
  std::unique_ptr<KeyRequests> keys_;
  NetworkRequests* network_ = nullptr;
  std::function<void()> on_request_;
};

// The `status` response frame: shown while locked too (then without what
// needs the keys).
Bytes status_frame(runtime::DaemonState& state);

}  // namespace hearth::control
