// The control socket: $HEARTH_HOME/control.sock, a Unix stream socket (0600)
// that only this user may use (SO_PEERCRED).
//
// One request per connection: the client sends one frame (4-byte big-endian
// length, then a Cap'n Proto Request of at most kMaxRequestBytes) and reads
// response frames until the daemon closes. Malformed, oversized or slow
// requests close that connection only; the daemon keeps serving.
//
// No client can lock the others out: at most kMaxWaiting connections wait
// for their request and at most kMaxStreams hold a request that goes on
// (`watch`, pairing); past either, the oldest of its kind is closed to
// make room. A new connection is always taken in, so a short request
// (`status`) is answered however many idle or watching clients there are.
#pragma once

#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "control/sink.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::control {

// Connections waiting for their request (each at most 10 s).
inline constexpr size_t kMaxWaiting = 16;
// Requests answered and still going on (`watch` streams, pairing).
inline constexpr size_t kMaxStreams = 16;

class ControlServer {
 public:
  ControlServer(asio::io_context& io, std::string socket_path, RequestHandler& handler);
  ~ControlServer();
  // Binds (replacing a stale socket file: call only while holding the
  // daemon's lock file) and starts accepting.
  Status start();
  void stop();

 private:
  class Connection;
  void accept_next();

  asio::io_context& io_;
  std::string path_;
  RequestHandler& handler_;
  asio::local::stream_protocol::acceptor acceptor_;
  struct Registry;                      // the connections by kind, oldest first
  std::shared_ptr<Registry> registry_;  // also held by each connection's coroutine
};

}  // namespace hearth::control
