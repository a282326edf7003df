#include "net/invite_announce.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#include <algorithm>
#include <array>

#include "util/log.h"

namespace hearth::net {
namespace {

using asio::ip::udp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace

Bytes make_invite_announcement(uint16_t port) {
  Bytes out(kInviteMagic.begin(), kInviteMagic.end());
  out.push_back(static_cast<uint8_t>(port >> 8));
  out.push_back(static_cast<uint8_t>(port & 0xff));
  return out;
}

std::optional<uint16_t> read_invite_announcement(ByteView packet) {
  if (packet.size() != kInviteAnnouncementBytes) return std::nullopt;
  if (!std::equal(kInviteMagic.begin(), kInviteMagic.end(), packet.begin())) return std::nullopt;
  const uint16_t port = static_cast<uint16_t>((packet[kInviteMagic.size()] << 8) |
                                              packet[kInviteMagic.size() + 1]);
  if (port == 0) return std::nullopt;
  return port;
}

std::shared_ptr<InviteAnnouncer> InviteAnnouncer::create(asio::any_io_executor executor,
                                                         InviteAnnounceOptions options) {
  return std::shared_ptr<InviteAnnouncer>(new InviteAnnouncer(executor, std::move(options)));
}

InviteAnnouncer::InviteAnnouncer(asio::any_io_executor executor, InviteAnnounceOptions options)
    : executor_(executor),
      tasks_(executor),
      options_(std::move(options)),
      socket_(executor),
      wake_(executor, Clock::time_point::max()) {}

void InviteAnnouncer::start(uint16_t port) {
  port_ = port;
  if (!socket_.is_open()) {
    asio::error_code ec;
    socket_.open(udp::v4(), ec);
    if (!ec) socket_.set_option(asio::socket_base::broadcast(true), ec);
    if (!ec && !options_.source.empty()) {
      const auto source = asio::ip::make_address(options_.source, ec);
      if (!ec && source.is_v4()) {
        socket_.bind(udp::endpoint(source, 0), ec);
      } else {
        ec = {};  // an IPv6 or unusable listen address: the system chooses
      }
    }
    if (ec) {
      log::warn("pairing: cannot announce the invite on the local network: ", ec.message(),
                "; your partner can still join with --address");
      asio::error_code ignored;
      socket_.close(ignored);
      return;
    }
  }
  if (!running_) {
    running_ = true;
    tasks_.spawn(send_loop(), "announcing the invite");
  }
  wake_.cancel();
}

void InviteAnnouncer::stop() {
  port_ = 0;
  running_ = false;
  asio::error_code ignored;
  socket_.close(ignored);
  wake_.cancel();
}

asio::awaitable<void> InviteAnnouncer::send_loop() {
  auto self = shared_from_this();  // the lifetime of the loop
  while (running_ && port_ != 0) {
    // The same bytes for every inviter on this port (see the header).
    const Bytes announcement = make_invite_announcement(port_);
    for (const udp::endpoint& target : options_.targets) {
      if (!running_ || !socket_.is_open()) break;
      auto [ec, n] = co_await socket_.async_send_to(asio::buffer(announcement), target, use_tuple);
      if (ec) {
        log::debug("pairing: an invite announcement to ", target.address().to_string(), ":",
                   target.port(), " failed: ", ec.message());
      } else {
        ++sent_;
      }
    }
    if (!running_) break;
    wake_.expires_after(options_.interval);
    co_await wake_.async_wait(use_tuple);
  }
}

asio::awaitable<Result<std::vector<Address>>> find_inviters(InviteAnnounceOptions options) {
  if (!options.listen_port)
    co_return Status::unavailable(
        "looking for an invite on the local network is turned off in this hearthd "
        "(--discovery-port 0)");
  auto executor = co_await asio::this_coro::executor;
  udp::socket socket(executor);
  asio::error_code ec;
  socket.open(udp::v4(), ec);
  // hearthd's discovery hears the same port: both get each broadcast.
  if (!ec) socket.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) socket.bind(udp::endpoint(asio::ip::address_v4::any(), *options.listen_port), ec);
  if (ec)
    co_return Status::unavailable("cannot listen for invites on UDP port " +
                                  std::to_string(*options.listen_port) + ": " + ec.message());

  std::vector<Address> found;
  std::array<uint8_t, kInviteAnnouncementBytes + 1> buffer{};
  udp::endpoint from;
  asio::steady_timer deadline(executor, options.find_timeout);
  while (found.size() < options.max_inviters) {
    auto outcome = co_await (socket.async_receive_from(asio::buffer(buffer), from, use_tuple) ||
                             deadline.async_wait(use_tuple));
    if (outcome.index() == 1) break;  // the time is up
    auto [rec, n] = std::get<0>(outcome);
    if (rec == asio::error::operation_aborted) break;
    if (rec) continue;
    const std::optional<uint16_t> port = read_invite_announcement(ByteView(buffer.data(), n));
    if (!port) continue;
    asio::ip::address ip = from.address();
    if (ip.is_v6() && ip.to_v6().is_v4_mapped())
      ip = asio::ip::make_address_v4(asio::ip::v4_mapped, ip.to_v6());
    const Address address{ip.to_string(), *port};
    if (std::find(found.begin(), found.end(), address) != found.end()) continue;
    found.push_back(address);
    // Others still within `settle` of the first are tried too.
    if (found.size() == 1) deadline.expires_after(options.settle);
  }
  if (found.empty())
    co_return Status::unavailable(
        "no open invite was found on this network within " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options.find_timeout)
                           .count()) +
        " seconds. Check that `hearth pair invite` is still running on your partner's "
        "computer, that you are on the same network, or give its address with --address");
  co_return found;
}

}  // namespace hearth::net
