#include "util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace hearth::log {
namespace {
std::atomic<Level> g_level{Level::kInfo};
std::atomic<bool> g_journal{false};

// sd-daemon(3): SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR.
int priority(Level l) {
  switch (l) {
    case Level::kDebug: return 7;
    case Level::kInfo: return 6;
    case Level::kWarn: return 4;
    case Level::kError: return 3;
  }
  return 6;
}

const char* level_name(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "?";
}
}  // namespace

void set_level(Level l) { g_level.store(l); }
Level level() { return g_level.load(); }

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_journal_format(bool on) { g_journal.store(on); }

void write(Level l, const std::string& message) {
  if (g_journal.load()) {
    std::fprintf(stderr, "<%d>%s\n", priority(l), message.c_str());
    return;
  }
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::fprintf(stderr, "%s.%03dZ %-5s %s\n", stamp, static_cast<int>(ms), level_name(l),
               message.c_str());
}

}  // namespace hearth::log
