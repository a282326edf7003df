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
#include <memory>
#include <string>

#include "control/present.h"
#include "control/sink.h"
#include "runtime/daemon_state.h"
#include "runtime/network.h"

namespace hearth::control {

// Called by the dispatcher (control/handler.h) with the request it parsed.
// Each returns the one response frame, or (pair_invite, pair_join) answers
// on `out` itself. Capnp readers are read before anything is sent.
class NetworkRequests {
 public:
  // All must outlive this object; pairing and discovery may be null.
  NetworkRequests(runtime::Unlocked& unlocked, runtime::NetworkControl& network,
                  runtime::PairingControl* pairing = nullptr,
                  runtime::DiscoveryControl* discovery = nullptr)
      : u_(unlocked), network_(network), pairing_(pairing), discovery_(discovery) {}
  // Runs after a setting was stored, with its key and stored value.
  void on_setting_changed(std::function<void(const std::string&, const std::string&)> hook) {
    on_setting_changed_ = std::move(hook);
  }
  // Keeps the settings of HOME/hearth.conf there (config/daemon_config.h);
  // without it (tests) every setting is in the store.
  void set_config_file(std::string path) { config_file_ = std::move(path); }

  Bytes pair_add(PairAdd::Reader r);
  void pair_invite(bool send_earlier, const std::shared_ptr<ResponseSink>& out);
  void pair_join(const std::string& code, const std::string& address, bool send_earlier,
                 const std::shared_ptr<ResponseSink>& out);
  Bytes unpair(Unpair::Reader r);
  Bytes config_get(ConfigKey::Reader r);
  Bytes config_set(ConfigSet::Reader r);
  Bytes peer_add(Address::Reader r);
  Bytes peer_remove(Address::Reader r);
  Bytes peer_list();
  // `now`: the user asked to sync (syncNow), so a device that is offline
  // dials at once rather than when its backoff ends.
  Bytes sync_progress(bool now);

 private:
  // The partner changed: sync and discovery follow at once.
  void partner_changed();
  // The settings of config_file_.
  Bytes file_config_get(const std::string& key);
  Bytes file_config_set(const std::string& key, const std::string& value);

  runtime::Unlocked& u_;
  runtime::NetworkControl& network_;
  runtime::PairingControl* pairing_;
  runtime::DiscoveryControl* discovery_;
  std::function<void(const std::string&, const std::string&)> on_setting_changed_;
  std::string config_file_;
};

}  // namespace hearth::control
