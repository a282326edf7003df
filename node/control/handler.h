// Turns control requests into work on the daemon's state. Requests that need
// the keys are refused with ErrorCode.locked until `hearth unlock`.
#pragma once

#include <functional>
#include <memory>

#include "app/daemon_state.h"
#include "control/sink.h"

namespace hearth::control {

class PassphraseGate;  // control/passphrase_gate.h

// Requests about the partner and the network; provided by the sync layer
// once it exists. Each takes the raw request bytes and answers on `out`.
class NetworkRequests {
 public:
  virtual ~NetworkRequests() = default;
  virtual void handle(ByteView request, std::shared_ptr<ResponseSink> out) = 0;
};

class KeyRequests;

class Handler : public RequestHandler {
 public:
  explicit Handler(app::DaemonState& state);
  ~Handler() override;
  // Null while locked.
  void set_network(NetworkRequests* network) { network_ = network; }
  // Argon2id (unlock, changePassphrase) goes through `gate`; without one it
  // runs inline (tests). Not owned.
  void set_passphrase_gate(PassphraseGate* gate);
  // Runs before each request is handled (the auto-lock's idle time).
  void on_request(std::function<void()> hook) { on_request_ = std::move(hook); }
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  app::DaemonState& state_;
  std::unique_ptr<KeyRequests> keys_;
  NetworkRequests* network_ = nullptr;
  std::function<void()> on_request_;
};

// The `status` response frame: shown while locked too (then without what
// needs the keys).
Bytes status_frame(app::DaemonState& state);

}  // namespace hearth::control
