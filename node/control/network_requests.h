// The partner and network requests: pairAdd, peerAdd, peerRemove, peerList
// and syncProgress. Other requests that reach here (code pairing, unpair,
// config) are refused as not available yet.
#pragma once

#include "app/daemon_state.h"
#include "app/network.h"
#include "control/handler.h"

namespace hearth::control {

class NetworkRequestHandler : public NetworkRequests {
 public:
  // Both must outlive this handler.
  NetworkRequestHandler(app::Unlocked& unlocked, app::NetworkControl& network)
      : u_(unlocked), network_(network) {}
  // Answers with one frame and finishes.
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  app::Unlocked& u_;
  app::NetworkControl& network_;
};

}  // namespace hearth::control
