// The TCP listener for partners' connections (`hearthd --listen HOST:PORT`).
//
// Binds at start-up, before the keys are unlocked, so a bad address fails at
// once; every accepted socket goes to the handler, which may simply drop it
// (closing it) while the daemon is locked. Runs on the io thread.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "net/address.h"
#include "util/status.h"

namespace hearth::net {

class Listener {
 public:
  using Handler = std::function<void(asio::ip::tcp::socket)>;

  // Resolves `where` (a name may give several addresses; each is bound) and
  // starts accepting. kIo if nothing could be bound. Port 0 picks a free port
  // (tests).
  static Result<std::unique_ptr<Listener>> start(asio::io_context& io, const Address& where,
                                                 Handler handler);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::vector<asio::ip::tcp::endpoint> local_endpoints() const;
  // Stops accepting and closes the listening sockets.
  void stop();

  struct Shared;  // the acceptors and handler, shared with the accept coroutines

 private:
  explicit Listener(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  std::shared_ptr<Shared> shared_;  // also held by the accept coroutines
};

}  // namespace hearth::net
