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
//   auto-lock   off | 1m..24h, e.g. 30m, 1h30m (default off): lock after
//               that long without a control request (control/auto_lock.h)
// and the others in the table of network_requests.cpp. With a config file
// (set_config_file), the settings of config/daemon_config.h are read from
// and written to it.
#pragma once

#include <functional>
#include <string>

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
  // Runs after a setting was stored, with its key and stored value.
  void on_setting_changed(std::function<void(const std::string&, const std::string&)> hook) {
    on_setting_changed_ = std::move(hook);
  }
  // Keeps the settings of HOME/hearth.conf there (config/daemon_config.h);
  // without it (tests) every setting is in the store.
  void set_config_file(std::string path) { config_file_ = std::move(path); }
  // Answers with one frame and finishes, or streams (pairInvite, pairJoin).
  void handle(ByteView request, std::shared_ptr<ResponseSink> out) override;

 private:
  app::Unlocked& u_;
  app::NetworkControl& network_;
  app::PairingControl* pairing_;
  app::DiscoveryControl* discovery_;
  std::function<void(const std::string&, const std::string&)> on_setting_changed_;
  std::string config_file_;
};

}  // namespace hearth::control
