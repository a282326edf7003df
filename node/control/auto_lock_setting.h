// The `auto-lock` setting as text (`hearth config set auto-lock 30m`), apart
// from the timer that applies it (control/auto_lock.h), so that the settings
// requests need no Asio. The text itself is config/auto_lock.h's, which the
// settings file shares; auto_lock_of is implemented in auto_lock.cpp.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/auto_lock.h"
#include "runtime/daemon_state.h"
#include "util/status.h"

namespace hearth::control {

inline constexpr std::string_view kAutoLockSetting = "auto-lock";
using config::format_auto_lock;
using config::kMaxAutoLock;
using config::kMinAutoLock;
using config::parse_auto_lock;

// The stored setting; off when unset or unreadable.
std::optional<std::chrono::minutes> auto_lock_of(runtime::Unlocked& u);

}  // namespace hearth::control
