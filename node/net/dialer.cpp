#include "net/dialer.h"

#include <asio/connect.hpp>
#include <vector>

#include "net/asio_util.h"

namespace hearth::net {
namespace {

using asio::ip::tcp;

asio::awaitable<Status> connect_steps(tcp::socket& socket, const Address& address) {
  std::vector<tcp::endpoint> endpoints;
  asio::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (!ec) {
    endpoints.emplace_back(ip, address.port);
  } else {
    tcp::resolver resolver(co_await asio::this_coro::executor);
    auto [rec, results] = co_await resolver.async_resolve(
        address.host, std::to_string(address.port), tcp::resolver::numeric_service, use_tuple);
    if (rec) co_return Status::unavailable("cannot find " + address.host + ": " + rec.message());
    for (const auto& r : results) endpoints.push_back(r.endpoint());
  }
  auto [cec, endpoint] = co_await asio::async_connect(socket, endpoints, use_tuple);
  if (cec) co_return Status::unavailable(cec.message());
  socket.set_option(tcp::no_delay(true), ec);
  co_return Status::ok();
}

}  // namespace

asio::awaitable<Status> connect_to(tcp::socket& socket, const Address& address,
                                   std::chrono::steady_clock::duration timeout) {
  auto outcome = co_await with_deadline(connect_steps(socket, address), timeout);
  if (!outcome) co_return Status::unavailable("no answer within the time allowed");
  co_return std::move(*outcome);
}

}  // namespace hearth::net
