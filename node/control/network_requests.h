// The partner and network requests: pairAdd, pairInvite, pairJoin, unpair,
// peerAdd, peerRemove, peerList, syncProgress, configGet and configSet.
//
// pairInvite streams: `invite`, again after each failed attempt, then
// `paired` or an error; the invite ends when the client goes away. pairJoin
// answers once the exchange ended. Without a pairing service (tests, fuzzing)
// both are refused as not available.
//
// Settings (configGet/configSet) are the known keys only:
//   discovery   on | off   (default on): LAN beacons while paired
#pragma once

#include "app/daemon_state.h"
#include "app/network.h"
#include "control/handler.h"

namespace hearth::control {

class NetworkRequestHandler : public NetworkRequests {
 public:
  // All must outlive this handler; pairing and discovery may be null.
  NetworkRequestHandler(app::Unlocked& unlocked, app::NetworkControl& network,
                        app::PairingControl* pairing = nullptr,
                        app::DiscoveryControl* discovery = nullptr)
      : u_(unlocked), network_(network), pairing_(pairing), discovery_(discovery) {}
  // Answers with one frame and finishes, or streams (pairInvite, pairJoin).
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  app::Unlocked& u_;
  app::NetworkControl& network_;
  app::PairingControl* pairing_;
  app::DiscoveryControl* discovery_;
};

}  // namespace hearth::control
