#include "control/pause_release.h"

#include "util/log.h"

namespace hearth::control {

void PauseRelease::rearm() {
  timer_.cancel();
  runtime::Unlocked* u = state_.unlocked();
  if (u == nullptr) {
    was_active_ = false;
    return;
  }
  auto mine = u->reader.pause(u->store->keys().self());
  if (!mine) {
    log::warn("cannot read this device's pause: ", mine.status().to_string());
    return;
  }
  const int64_t now = u->clock_ms();
  const bool active = mine->window.active_at(now);
  if (was_active_ && !active) state_.updates().publish(sync::OwnPauseEnded{});
  was_active_ = active;
  if (!active) return;
  // A little past the end, so that the pause reads as over when it fires.
  timer_.expires_after(std::chrono::milliseconds(mine->window.end_ms - now + 10));
  timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) rearm();
  });
}

}  // namespace hearth::control
