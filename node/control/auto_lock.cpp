#include "control/auto_lock.h"

#include "store/config.h"
#include "util/log.h"

namespace hearth::control {

std::optional<std::chrono::minutes> auto_lock_of(runtime::Unlocked& u) {
  auto stored = u.store->config().get(kAutoLockSetting);
  if (!stored || !stored->has_value()) return std::nullopt;
  auto parsed = parse_auto_lock(**stored);
  return parsed ? *parsed : std::nullopt;
}

AutoLock::AutoLock(asio::any_io_executor io, runtime::DaemonState& state, Clock clock)
    : state_(state), clock_(std::move(clock)), timer_(io), last_request_(clock_()) {}

void AutoLock::set_limit(std::optional<std::chrono::minutes> limit) {
  limit_ = limit;
  last_request_ = clock_();
  timer_.cancel();
  if (limit_) arm(last_request_ + *limit_);
}

void AutoLock::touch() { last_request_ = clock_(); }

void AutoLock::check() {
  if (!limit_ || state_.unlocked() == nullptr) return;  // set_limit() arms it again at unlock
  const auto due = last_request_ + *limit_;
  if (clock_() < due) {
    arm(due);
    return;
  }
  if (!state_.sealed()) {
    log::info("auto-lock: the keys have no passphrase, so the daemon stays unlocked");
    return;
  }
  state_.unlocked()->record(
      "info", "locking after " + format_auto_lock(limit_) + " without a request (auto-lock)");
  Status st = state_.lock(nullptr);
  if (!st.is_ok()) log::warn("auto-lock: ", st.message());
}

void AutoLock::arm(std::chrono::steady_clock::time_point when) {
  // The timer runs on the real steady clock; check() decides by clock_.
  timer_.expires_after(when - clock_());
  timer_.async_wait([this](const std::error_code& ec) {
    if (!ec) check();
  });
}

}  // namespace hearth::control
