// The network services of one unlocked period: sync, LAN discovery, pairing
// by code, and the control requests over them. hearthd builds them at each
// unlock (start) and tears them down when it locks (tear_down) or stops.
//
// Single-threaded: the daemon's io thread. The DaemonState and the Handler
// must outlive this object. Every service it builds refers to the Unlocked
// state given to start() until tear_down() says they are all gone.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "runtime/daemon_state.h"
#include "control/handler.h"
#include "net/discovery.h"
#include "net/pairing_service.h"
#include "net/sync_service.h"

namespace hearth::daemon {

struct ServiceOptions {
  std::string listening;  // HOST:PORT hearthd listens on, or empty
  net::DiscoveryOptions discovery;
  net::PairingOptions pairing;
  // Told whether the partner's device needs to reach this one now: once
  // unlocked, while paired or an invite is open; false when locked
  // (net/listen_control.h).
  std::function<void(bool needed)> on_reach_needed;
};

class NetworkServices {
 public:
  NetworkServices(asio::any_io_executor io, runtime::DaemonState& state, control::Handler& handler,
                  ServiceOptions options);
  ~NetworkServices();

  // Builds and starts the services over `u` and hands the handler their
  // requests. Call after each unlock.
  void start(runtime::Unlocked& u);
  // Runs after a setting was stored (`hearth config set`).
  void on_setting_changed(std::function<void(const std::string&, const std::string&)> hook) {
    on_setting_changed_ = std::move(hook);
  }
  // A connection from the listener: to sync while it runs, closed otherwise.
  void accept(asio::ip::tcp::socket socket);
  // hearthd is stopping: the partner hears Bye{shuttingDown}, then `done`.
  void stop(std::function<void()> done);
  // The daemon locks: stop as above, end every coroutine at once, and call
  // `finished` once none of the services exists any more, so nothing can
  // touch the Unlocked state.
  void tear_down(std::function<void()> finished);
  bool running() const { return sync_ != nullptr; }
  // Where hearthd listens now, for `status` (empty: nowhere).
  void set_listening(std::string listening);

 private:
  class PartnerHook;
  // Tells on_reach_needed what is needed now.
  void update_reach();
  void wait_until_gone(std::function<void()> finished);
  void poll_gone();

  asio::any_io_executor io_;
  runtime::DaemonState& state_;
  control::Handler& handler_;
  ServiceOptions options_;
  std::function<void(const std::string&, const std::string&)> on_setting_changed_;
  std::shared_ptr<net::SyncService> sync_;
  std::shared_ptr<net::PairingService> pairing_;
  std::shared_ptr<net::DiscoveryService> discovery_;
  std::unique_ptr<PartnerHook> partner_hook_;
  std::unique_ptr<control::NetworkRequests> requests_;
  runtime::Unlocked* unlocked_ = nullptr;  // while started
  // While tearing down: the services that may still be unwinding.
  std::weak_ptr<net::SyncService> old_sync_;
  std::weak_ptr<net::PairingService> old_pairing_;
  std::weak_ptr<net::DiscoveryService> old_discovery_;
  asio::steady_timer poll_;
  std::function<void()> teardown_done_;
  std::chrono::steady_clock::time_point teardown_started_{};
  bool slow_said_ = false;
};

}  // namespace hearth::daemon
