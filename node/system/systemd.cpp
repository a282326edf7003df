#include "system/systemd.h"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/log.h"

namespace hearth::system {
namespace {

// One line, no control characters: a status is a single line of text.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  return out;
}

void send(const std::string& state) {
  const int rc = sd_notify(0, state.c_str());
  if (rc < 0) log::debug("sd_notify failed: error ", -rc);
}

}  // namespace

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (::fstat(2, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

void notify_ready(std::string_view status) { send("READY=1\nSTATUS=" + one_line(status)); }

void notify_status(std::string_view status) { send("STATUS=" + one_line(status)); }

void notify_stopping() { send("STOPPING=1\nSTATUS=stopping"); }

}  // namespace hearth::system
