// Talking to hearthd over its control socket ($HEARTH_HOME/control.sock).
//
// Daemon is the narrow interface the commands use; ControlClient implements
// it with a blocking Unix socket, one connection per request as control.capnp
// specifies. Tests substitute a fake.
#pragma once

#include <functional>
#include <string>

#include "client/reply.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::client {

// How long to wait for the daemon's answer.
enum class Wait {
  kNormal,   // ordinary requests: kNormalTimeoutMs
  kLong,     // requests that reach the network (pair join): kLongTimeoutMs
  kForever,  // streams that wait for a person (watch, pair invite)
};

inline constexpr int kNormalTimeoutMs = 30'000;
inline constexpr int kLongTimeoutMs = 180'000;

class Daemon {
 public:
  virtual ~Daemon() = default;

  // Sends one framed request and returns the one Response. A daemon that is
  // not running is kUnavailable; a daemon Error is returned as a Reply
  // (DaemonError), not as a failed Status.
  virtual Result<Reply> call(ByteView request, Wait wait) = 0;

  // Sends one framed request, then hands each Response to `on_reply` until it
  // returns false (returns ok), the daemon closes the connection (kUnavailable),
  // or a read fails. No timeout.
  virtual Status stream(ByteView request, const std::function<bool(Reply&&)>& on_reply) = 0;

  // As stream(), and while no Response arrives, also calls `on_idle` at
  // least every `idle_ms` (and at once when a signal interrupts the wait);
  // returns ok once it returns false. The default never calls on_idle.
  virtual Status stream_with_idle(ByteView request, int idle_ms,
                                  const std::function<bool(Reply&&)>& on_reply,
                                  const std::function<bool()>& on_idle) {
    (void)idle_ms;
    (void)on_idle;
    return stream(request, on_reply);
  }
};

class ControlClient final : public Daemon {
 public:
  // `home` is used in the message that says how to start the daemon.
  ControlClient(std::string socket_path, std::string home)
      : socket_path_(std::move(socket_path)), home_(std::move(home)) {}

  Result<Reply> call(ByteView request, Wait wait) override;
  Status stream(ByteView request, const std::function<bool(Reply&&)>& on_reply) override;
  Status stream_with_idle(ByteView request, int idle_ms,
                          const std::function<bool(Reply&&)>& on_reply,
                          const std::function<bool()>& on_idle) override;

 private:
  Result<int> connect_socket() const;
  std::string socket_path_;
  std::string home_;
};

// "hearthd is not running — start it with `hearthd --home DIR &` or ...".
std::string not_running_message(const std::string& home);

}  // namespace hearth::client
