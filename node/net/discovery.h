// LAN discovery (schema/PROTOCOL.md §5.3): while paired and the `discovery` setting
// is on, a UDP beacon every `interval` to each target (the first at once,
// and again whenever refresh() finds discovery on); beacons heard on the
// receive port that the partner's device sent make its address
// (sender IP : announced port) a 'discovery' peer address, and the sync
// service dials it if not connected. A beacon proves who sent it, not from
// where (anyone can forward one): the new address replaces older discovery
// addresses except those that worked recently, and the sync service dials
// a new address at most every so often. Everything else heard is ignored
// without a reply.
//
// Single-threaded: the daemon's io thread. Created by create(); its
// coroutines hold a shared_ptr to it. The Unlocked state and the sync
// service must outlive the io_context's pending work.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/daemon_state.h"
#include "runtime/network.h"
#include "proto/beacon.h"
#include "net/spawn.h"

namespace hearth::net {

inline constexpr uint16_t kDefaultDiscoveryPort = 7420;

struct DiscoveryOptions {
  // The UDP port beacons are heard on; nullopt: none are heard; 0: any free
  // port (tests).
  std::optional<uint16_t> receive_port = kDefaultDiscoveryPort;
  // Where beacons go (hearthd: 255.255.255.255:7420 unless --beacon-to).
  std::vector<asio::ip::udp::endpoint> targets;
  uint16_t announce_port = 0;  // the TCP port beacons announce; 0: send none (not listening)
  std::chrono::milliseconds interval{30'000};
};

class DiscoveryService : public runtime::DiscoveryControl,
                         public std::enable_shared_from_this<DiscoveryService> {
 public:
  static std::shared_ptr<DiscoveryService> create(asio::any_io_executor executor,
                                                  runtime::Unlocked& unlocked,
                                                  runtime::NetworkControl& sync,
                                                  DiscoveryOptions options);

  // Binds the receive port (a failure is logged; beacons are still sent) and
  // starts. Call once.
  void start();
  // Closes the sockets; nothing is sent or heard any more.
  void stop();
  // Ends its coroutines at once (after stop(), when the daemon locks).
  void cancel_pending() { tasks_.cancel_all(); }

  // runtime::DiscoveryControl
  void refresh() override;

  bool sending() const { return pair_key_.has_value() && enabled_; }
  size_t beacons_sent() const { return beacons_sent_; }
  // The UDP port beacons are heard on, once bound (tests bind port 0).
  std::optional<uint16_t> receive_port() const;

 private:
  DiscoveryService(asio::any_io_executor executor, runtime::Unlocked& unlocked,
                   runtime::NetworkControl& sync, DiscoveryOptions options);
  void spawn(asio::awaitable<void> task, const char* what);
  asio::awaitable<void> receive_loop();
  asio::awaitable<void> send_loop();
  void on_packet(ByteView packet, const asio::ip::udp::endpoint& from);
  int64_t unix_seconds() const;

  asio::any_io_executor executor_;
  TaskGroup tasks_;  // every coroutine it starts
  runtime::Unlocked& u_;
  runtime::NetworkControl& sync_;
  DiscoveryOptions options_;
  asio::ip::udp::socket receiver_;
  asio::ip::udp::socket sender_;
  asio::steady_timer wake_;  // the send loop sleeps on it
  std::optional<Key32> partner_;
  std::optional<Secret> pair_key_;
  std::optional<proto::BeaconReader> reader_;
  bool enabled_ = false;  // the `discovery` setting
  bool send_now_ = false;
  bool started_ = false;
  bool stopped_ = false;
  size_t beacons_sent_ = 0;
};

}  // namespace hearth::net
