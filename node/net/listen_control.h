// Where hearthd accepts its partner's connections, following the
// `listen-address` and `listen-port` settings (config/daemon_config.h) or
// `hearthd --listen`, and, for `auto`, whether the partner needs to reach
// this device now (docs/DESIGN.md §11.2):
//
//   auto, locked or unpaired with no invite open   127.0.0.1:PORT (this computer only)
//   auto, unlocked and paired, or an invite open   0.0.0.0:PORT (every network)
//   off                                             nowhere
//   an address                                      that address, always
//
// A port that cannot be bound is no reason to stop: the failure is logged
// and shown by `hearth status` (listening() is then empty), and every later
// change of need tries again. Only a fixed address given on hearthd's
// command line fails at start (start() returns the error), as before there
// were settings.
//
// Single-threaded: the daemon's io thread.
#pragma once

#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/daemon_config.h"
#include "net/address.h"
#include "net/listener.h"
#include "util/status.h"

namespace hearth::net {

// The address to bind for `setting` when the partner does (`needed`) or does
// not need to reach this device; nullopt: none (off).
std::optional<Address> listen_address_for(const config::ListenSetting& setting, bool needed);

class ListenControl {
 public:
  ListenControl(asio::io_context& io, config::ListenSetting setting, Listener::Handler handler);

  // Binds for "not needed" (loopback for auto). The error of a bind that
  // failed, for callers that must not go on without it.
  Status start();
  // The partner needs (or no longer needs) to reach this device: an auto
  // setting rebinds; others stay as they are.
  void set_needed(bool needed);
  // Closes the listening sockets for good.
  void stop();

  // HOST:PORT bound now; empty when not listening.
  std::string listening() const;
  // The TCP port to tell the partner (pairing, beacons, invite announcements):
  // the configured one; 0 when off.
  uint16_t port() const;
  // The IP of a fixed listen address, for announcing from it; empty otherwise.
  std::string fixed_host() const;
  const config::ListenSetting& setting() const { return setting_; }
  // Runs after each change of what listening() says.
  void on_change(std::function<void(const std::string& listening)> hook) {
    on_change_ = std::move(hook);
  }

 private:
  Status rebind();

  asio::io_context& io_;
  config::ListenSetting setting_;
  Listener::Handler handler_;
  std::unique_ptr<Listener> listener_;
  std::optional<Address> bound_;  // what listener_ is bound to
  std::function<void(const std::string&)> on_change_;
  bool needed_ = false;
  bool stopped_ = false;
};

}  // namespace hearth::net
