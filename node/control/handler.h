// Turns control requests into work on the daemon's state. Requests that need
// the keys are refused with ErrorCode.locked until `hearth unlock`.
#pragma once

#include <functional>
#include <memory>

#include "app/daemon_state.h"
#include "control/server.h"

namespace hearth::control {

// Requests about the partner and the network; provided by the sync layer
// once it exists. Each takes the raw request bytes and answers on `out`.
class NetworkRequests {
 public:
  virtual ~NetworkRequests() = default;
  virtual void handle(ByteView request, std::shared_ptr<ResponseSink> out) = 0;
};

class Handler : public RequestHandler {
 public:
  explicit Handler(app::DaemonState& state) : state_(state) {}
  void set_network(NetworkRequests* network) { network_ = network; }
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  app::DaemonState& state_;
  NetworkRequests* network_ = nullptr;
};

}  // namespace hearth::control
