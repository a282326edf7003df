// Diagnostic logging to stderr for hearthd.
//
// Never pass user-written text or key material to these functions: logs end up
// in the journal. Device IDs, addresses, counts and reasons are fine. The
// user-visible record of network actions is the activity log in the store
// (`hearth log`), not this.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace hearth::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_level(Level level);
Level level();
// "debug" | "info" | "warn" | "error"; returns false for anything else.
bool parse_level(std::string_view text, Level& out);
void write(Level level, const std::string& message);
// Under systemd (system/systemd.h): each line starts with its syslog
// priority, "<7>" debug, "<6>" info, "<4>" warn, "<3>" error, and has no
// timestamp (the journal keeps its own).
void set_journal_format(bool on);

template <typename... Args>
void emit(Level lvl, const Args&... args) {
  if (lvl < level()) return;
  std::ostringstream out;
  (out << ... << args);
  write(lvl, out.str());
}

template <typename... Args> void debug(const Args&... a) { emit(Level::kDebug, a...); }
template <typename... Args> void info(const Args&... a) { emit(Level::kInfo, a...); }
template <typename... Args> void warn(const Args&... a) { emit(Level::kWarn, a...); }
template <typename... Args> void error(const Args&... a) { emit(Level::kError, a...); }

}  // namespace hearth::log
