// Watches this device's own pause and says when it ends (docs/DESIGN.md
// §5.5): at once when its author resumes, or when its minutes run out.
// Then sync::OwnPauseEnded is published, and `watch` shows what the partner
// shared during the pause, held back until then.
//
// Runs on the daemon's io thread. Must be destroyed before the DaemonState
// it was given, and before the io_context stops running handlers.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

#include "runtime/daemon_state.h"

namespace hearth::control {

class PauseRelease {
 public:
  PauseRelease(asio::any_io_executor ex, runtime::DaemonState& state) : timer_(ex), state_(state) {}
  // Looks at the pause again: publishes its end if it was active and is no
  // longer, and arms the timer for the end of an active one.
  void rearm();

 private:
  asio::steady_timer timer_;
  runtime::DaemonState& state_;
  bool was_active_ = false;
};

}  // namespace hearth::control
