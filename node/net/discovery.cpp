#include "net/discovery.h"

#include <asio/co_spawn.hpp>

#include "net/asio_util.h"
#include "crypto/identity.h"
#include "net/address.h"
#include "net/spawn.h"
#include "store/config.h"
#include "store/peer_addresses.h"
#include "util/log.h"

namespace hearth::net {
namespace {

using asio::ip::udp;
using Clock = std::chrono::steady_clock;

}  // namespace

std::shared_ptr<DiscoveryService> DiscoveryService::create(asio::any_io_executor executor,
                                                           runtime::Unlocked& unlocked,
                                                           runtime::NetworkControl& sync,
                                                           DiscoveryOptions options) {
  return std::shared_ptr<DiscoveryService>(
      new DiscoveryService(std::move(executor), unlocked, sync, std::move(options)));
}

DiscoveryService::DiscoveryService(asio::any_io_executor executor, runtime::Unlocked& unlocked,
                                   runtime::NetworkControl& sync, DiscoveryOptions options)
    : executor_(executor),
      tasks_(executor),
      u_(unlocked),
      sync_(sync),
      options_(std::move(options)),
      receiver_(executor),
      sender_(executor),
      wake_(executor, Clock::time_point::max()) {}

void DiscoveryService::spawn(asio::awaitable<void> task, const char* what) {
  tasks_.spawn(std::move(task), what);
}

int64_t DiscoveryService::unix_seconds() const { return u_.clock_ms() / 1000; }

std::optional<uint16_t> DiscoveryService::receive_port() const {
  asio::error_code ec;
  if (!receiver_.is_open()) return std::nullopt;
  auto endpoint = receiver_.local_endpoint(ec);
  if (ec) return std::nullopt;
  return endpoint.port();
}

void DiscoveryService::start() {
  if (started_ || stopped_) return;
  started_ = true;
  asio::error_code ec;
  sender_.open(udp::v4(), ec);
  if (!ec) sender_.set_option(asio::socket_base::broadcast(true), ec);
  if (ec) log::warn("discovery: cannot open a socket to send beacons: ", ec.message());
  if (options_.receive_port) {
    receiver_.open(udp::v4(), ec);
    // Two daemons on one computer (the demo) may both hear the port.
    if (!ec) receiver_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) receiver_.bind(udp::endpoint(asio::ip::address_v4::any(), *options_.receive_port), ec);
    if (ec) {
      log::warn("discovery: cannot listen for beacons on UDP port ", *options_.receive_port, ": ",
                ec.message(), "; your partner's device is found by its address only");
      asio::error_code ignored;
      receiver_.close(ignored);
    } else {
      spawn(receive_loop(), "listening for beacons");
    }
  }
  spawn(send_loop(), "sending beacons");
  refresh();
}

void DiscoveryService::stop() {
  if (stopped_) return;
  stopped_ = true;
  asio::error_code ignored;
  receiver_.close(ignored);
  sender_.close(ignored);
  wake_.cancel();
}

void DiscoveryService::refresh() {
  if (stopped_) return;
  enabled_ = u_.store->config().discovery_enabled();
  const auto row = u_.devices.partner();
  const std::optional<Key32> partner = row ? std::optional<Key32>(row->key) : std::nullopt;
  if (partner != partner_) {
    partner_ = partner;
    pair_key_.reset();
    reader_.reset();
    if (partner_) {
      auto key = proto::derive_pair_key(u_.store->keys().identity(), *partner_);
      if (key) {
        reader_.emplace(Secret::copy_of(key->view()), *partner_);
        pair_key_ = std::move(*key);
      } else {
        log::warn("discovery: no pair key: ", key.status().to_string());
      }
    }
  }
  send_now_ = sending();
  wake_.cancel();
}

asio::awaitable<void> DiscoveryService::send_loop() {
  auto self = shared_from_this();  // the lifetime of the loop
  Clock::time_point next = Clock::time_point::max();
  while (!stopped_) {
    if (send_now_ || (sending() && Clock::now() >= next)) {
      send_now_ = false;
      next = Clock::now() + options_.interval;
      if (options_.announce_port != 0 && sender_.is_open()) {
        // One beacon per round, the same bytes to every target.
        const Bytes beacon = proto::make_beacon(*pair_key_, u_.store->keys().self(),
                                         options_.announce_port, unix_seconds());
        for (const udp::endpoint& target : options_.targets) {
          if (!sending()) break;
          auto [ec, n] = co_await sender_.async_send_to(asio::buffer(beacon), target, use_tuple);
          if (ec) {
            log::debug("discovery: a beacon to ", target.address().to_string(), ":", target.port(),
                       " failed: ", ec.message());
          } else {
            ++beacons_sent_;
          }
        }
      }
    }
    wake_.expires_at(sending() ? next : Clock::time_point::max());
    co_await wake_.async_wait(use_tuple);
  }
}

asio::awaitable<void> DiscoveryService::receive_loop() {
  auto self = shared_from_this();  // the lifetime of the loop
  // One byte more than a beacon, so a longer datagram is not cut to size.
  std::array<uint8_t, proto::kBeaconBytes + 1> buffer{};
  udp::endpoint from;
  while (!stopped_) {
    auto [ec, n] = co_await receiver_.async_receive_from(asio::buffer(buffer), from, use_tuple);
    if (stopped_ || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      log::debug("discovery: receiving: ", ec.message());
      continue;
    }
    on_packet(ByteView(buffer.data(), n), from);
  }
}

void DiscoveryService::on_packet(ByteView packet, const udp::endpoint& from) {
  if (!enabled_ || !reader_) return;
  const std::optional<uint16_t> port = reader_->read(packet, unix_seconds());
  if (!port) {
    log::debug("discovery: ignored a datagram from ", from.address().to_string());
    return;
  }
  asio::ip::address ip = from.address();
  if (ip.is_v6() && ip.to_v6().is_v4_mapped())
    ip = asio::ip::make_address_v4(asio::ip::v4_mapped, ip.to_v6());
  const std::string address = Address{ip.to_string(), *port}.text();
  // The beacon is authentic, but anyone may have forwarded it from anywhere:
  // its source is a hint. An address that worked lately stays beside it.
  std::vector<std::string> keep;
  if (auto rows = u_.store->addresses().list()) {
    for (const auto& row : *rows)
      if (row.source == "discovery" && sync_.worked_recently(row.address))
        keep.push_back(row.address);
  }
  auto fresh = u_.store->addresses().set_discovered(address, u_.clock_ms(), keep);
  if (!fresh) {
    log::warn("discovery: cannot store the address: ", fresh.status().to_string());
    return;
  }
  if (*fresh)
    u_.record("info", "found your partner's device at " + address + " on the local network",
              store::ActivityBucket::kGeneral, address);
  if (sync_.connection_state() != runtime::ConnectionState::kConnected) sync_.reconnect_now();
}

}  // namespace hearth::net
