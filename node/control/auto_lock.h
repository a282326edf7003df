// Auto-lock: the `auto-lock` setting (`hearth config set auto-lock 30m`).
//
// While the daemon is unlocked, its key file has a passphrase and a limit is
// set, the daemon locks itself once no control request has come for that
// long. Only requests from this user (the control socket) count as activity;
// sync with the partner does not. The limit is read from the store at each
// unlock and whenever the setting changes.
//
// Single-threaded: the daemon's io thread.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "control/auto_lock_setting.h"
#include "runtime/daemon_state.h"
#include "util/status.h"

namespace hearth::control {

class AutoLock {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  AutoLock(
      asio::any_io_executor io, runtime::DaemonState& state,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // The limit to apply from now on (nullopt: never lock by itself). The idle
  // time starts now.
  void set_limit(std::optional<std::chrono::minutes> limit);
  std::optional<std::chrono::minutes> limit() const { return limit_; }
  // A control request arrived: the idle time starts again.
  void touch();
  // Locks the daemon if it is unlocked, sealed and idle for the limit or
  // longer; otherwise waits for the next moment that could be true. Its timer
  // calls it; tests call it with an injected clock.
  void check();

 private:
  void arm(std::chrono::steady_clock::time_point when);

  runtime::DaemonState& state_;
  Clock clock_;
  asio::steady_timer timer_;
  std::optional<std::chrono::minutes> limit_;
  std::chrono::steady_clock::time_point last_request_;
};

}  // namespace hearth::control
