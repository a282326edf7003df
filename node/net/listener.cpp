#include "net/listener.h"

#include <asio/co_spawn.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>

#include "net/asio_util.h"
#include "util/log.h"

namespace hearth::net {
namespace {

using asio::ip::tcp;
// After a failed accept (e.g. out of file descriptors), wait before the next.
constexpr auto kAcceptRetry = std::chrono::milliseconds(200);

}  // namespace

struct Listener::Shared {
  Handler handler;
  std::vector<tcp::acceptor> acceptors;
  bool stopped = false;
};

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<Listener::Shared> shared, size_t index) {
  for (;;) {
    auto [ec, socket] = co_await shared->acceptors[index].async_accept(use_tuple);
    if (shared->stopped) co_return;
    if (ec) {
      log::warn("listener: ", ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, kAcceptRetry);
      co_await pause.async_wait(use_tuple);
      continue;
    }
    shared->handler(std::move(socket));
  }
}

}  // namespace

Result<std::unique_ptr<Listener>> Listener::start(asio::io_context& io, const Address& where,
                                                  Handler handler) {
  tcp::resolver resolver(io);
  asio::error_code ec;
  auto results = resolver.resolve(where.host, std::to_string(where.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return Status::io("cannot resolve " + where.host + ": " + ec.message());
  auto shared = std::make_shared<Shared>();
  shared->handler = std::move(handler);
  std::string errors;
  for (const auto& entry : results) {
    tcp::endpoint endpoint = entry.endpoint();
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      errors += (errors.empty() ? "" : "; ") + endpoint.address().to_string() + ": " + ec.message();
      continue;
    }
    shared->acceptors.push_back(std::move(acceptor));
  }
  if (shared->acceptors.empty())
    return Status::io("cannot listen on " + where.text() + (errors.empty() ? "" : ": " + errors));
  for (size_t i = 0; i < shared->acceptors.size(); ++i) {
    asio::co_spawn(io, accept_loop(shared, i), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error("listener failed: ", ex.what());
      }
    });
  }
  return std::unique_ptr<Listener>(new Listener(std::move(shared)));
}

Listener::~Listener() { stop(); }

std::vector<tcp::endpoint> Listener::local_endpoints() const {
  std::vector<tcp::endpoint> out;
  for (const auto& a : shared_->acceptors) {
    asio::error_code ec;
    auto endpoint = a.local_endpoint(ec);
    if (!ec) out.push_back(endpoint);
  }
  return out;
}

void Listener::stop() {
  if (shared_->stopped) return;
  shared_->stopped = true;
  for (auto& a : shared_->acceptors) {
    asio::error_code ignored;
    a.close(ignored);
  }
}

}  // namespace hearth::net
