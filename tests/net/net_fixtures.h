// In-process daemons for net tests: an unlocked in-memory store, an update
// hub and a SyncService each, all on one io_context, over loopback TCP.
#pragma once

#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/daemon_state.h"
#include "net/listener.h"
#include "net/sync_service.h"
#include "store/peer_addresses.h"

namespace hearth::test {

inline int64_t net_clock_ms() {
  static int64_t now = 1'700'000'000'000;
  return now += 10;
}

// Runs `io` until `done()` holds or `limit` passes; returns done().
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return done();
}

struct NetSide {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::unique_ptr<runtime::Unlocked> u;
  sync::UpdateHub hub;
  std::vector<sync::Update> seen;
  std::shared_ptr<net::SyncService> service;
  std::unique_ptr<net::Listener> listener;

  NetSide() {
    auto s = store::Store::open(":memory:", keys.clone());
    REQUIRE(s.is_ok());
    u = std::make_unique<runtime::Unlocked>(std::move(s).value(), net_clock_ms);
    REQUIRE(u->devices.upsert(self(), store::DeviceRole::kSelf, "me", 1).is_ok());
    hub.subscribe([this](const sync::Update& up) {
      seen.push_back(up);
      return true;
    });
  }
  ~NetSide() {
    if (listener) listener->stop();
  }
  Key32 self() const { return keys.identity.public_key(); }
  void pair_with(const NetSide& other) {
    REQUIRE(u->devices.upsert(other.self(), store::DeviceRole::kPartner, "", 1).is_ok());
  }
  void add_address(const std::string& address) {
    REQUIRE(u->store->addresses().add(address, "manual", 1).is_ok());
  }
  void make_service(asio::io_context& io, net::SyncOptions options = {}) {
    service = net::SyncService::create(io.get_executor(), *u, hub, options);
  }
  // Listens on a free loopback port; returns "127.0.0.1:PORT".
  std::string listen(asio::io_context& io) {
    auto l =
        net::Listener::start(io, net::Address{"127.0.0.1", 0}, [this](asio::ip::tcp::socket s) {
          if (service) service->accept(std::move(s));
        });
    REQUIRE(l.is_ok());
    listener = std::move(l).value();
    return "127.0.0.1:" + std::to_string(listener->local_endpoints().at(0).port());
  }
  uint64_t head_of(const Key32& author) { return u->store->events().head(author)->seq; }
  bool connected() {
    return service && service->connection_state() == runtime::ConnectionState::kConnected;
  }
  bool caught_up() { return connected() && service->progress().caught_up; }
  // Every activity message, oldest first.
  std::vector<std::string> activity() {
    auto entries = u->activity.newest(0);
    REQUIRE(entries.is_ok());
    std::vector<std::string> out;
    for (auto it = entries->rbegin(); it != entries->rend(); ++it) out.push_back(it->message);
    return out;
  }
  bool logged(const std::string& needle) {
    for (const auto& m : activity())
      if (m.find(needle) != std::string::npos) return true;
    return false;
  }
};

}  // namespace hearth::test
