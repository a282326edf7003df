// The `auto-lock` setting as text (`hearth config set auto-lock 30m`), apart
// from the timer that applies it (control/auto_lock.h), so that the settings
// requests need no Asio. Implemented in auto_lock.cpp.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/daemon_state.h"
#include "util/status.h"

namespace hearth::control {

inline constexpr std::string_view kAutoLockSetting = "auto-lock";
inline constexpr std::chrono::minutes kMinAutoLock{1};
inline constexpr std::chrono::minutes kMaxAutoLock{24 * 60};

// "off", or a duration: "30m", "2h", "1h30m" (also "90m", "1h 30m", any
// case), from kMinAutoLock to kMaxAutoLock. nullopt: off.
Result<std::optional<std::chrono::minutes>> parse_auto_lock(std::string_view text);
// How the setting is stored and shown: "off", "45m", "2h", "1h30m".
std::string format_auto_lock(std::optional<std::chrono::minutes> limit);
// The stored setting; off when unset or unreadable.
std::optional<std::chrono::minutes> auto_lock_of(runtime::Unlocked& u);

}  // namespace hearth::control
