// What a control request is handed and answers on, without the socket:
// the handlers (control/handler.h) and their tests see only these, so they
// need no Asio. control/server.h is the Unix socket that feeds them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "util/bytes.h"

namespace hearth::control {

// The largest request (schema/PROTOCOL.md §8): a 64 KiB reflection fits
// many times over.
inline constexpr size_t kMaxRequestBytes = 1 << 20;

// Where a handler sends response frames. Lives as long as someone holds it;
// send() after the client left is a no-op.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Queues one complete frame (length prefix included).
  virtual void send(Bytes frame) = 0;
  // No more frames: the daemon closes the connection after the queue drains.
  virtual void finish() = 0;
  // False once the client disconnected or the request was finished.
  virtual bool is_open() const = 0;
  // Runs `callback` once, on the io thread, when the connection ends (the
  // client left, or the finished response went out). Sinks without a
  // connection never run it.
  virtual void on_close(std::function<void()> callback) { (void)callback; }
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on the io thread with the request's bytes (without length prefix).
  // Must eventually call out->finish() unless it streams until the client leaves.
  virtual void handle(ByteView request, std::shared_ptr<ResponseSink> out) = 0;
};

}  // namespace hearth::control
