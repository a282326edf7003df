#include "client/terminal.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>

namespace hearth::client {
namespace {

// The terminal settings to put back if a signal arrives while echo is off.
// Only the signal handler and EchoOff touch them.
struct termios g_saved_termios {};
volatile sig_atomic_t g_echo_off = 0;

void restore_and_reraise(int sig) {
  if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
    installed_ = true;
    struct sigaction sa {};
    sa.sa_handler = restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &sa, &old_[i]);
    struct termios quiet = g_saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    g_echo_off = 1;
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (!installed_) return;
    if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    g_echo_off = 0;
    for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  bool active() const { return active_; }

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3]{};
  bool installed_ = false;
  bool active_ = false;
};

// Reads one line from fd into a Secret, without the line end (EOF also ends
// it; EOF before anything is kInvalidArgument). Refuses more than `limit`
// bytes.
Result<Secret> read_line_secret(int fd, size_t limit) {
  Secret buf(limit + 1);
  size_t n = 0;
  for (;;) {
    uint8_t c;
    ssize_t r = ::read(fd, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Status::io(std::string("cannot read: ") + std::strerror(errno));
    if (r == 0 && n == 0) return Status::invalid("no passphrase was typed; nothing was changed");
    if (r == 0 || c == '\n') break;
    if (n == limit) {
      // Drain the rest of the line so it does not reach the shell.
      while (::read(fd, &c, 1) == 1 && c != '\n') {
      }
      return Status::invalid("that passphrase is longer than " + std::to_string(limit) + " bytes");
    }
    buf.data()[n++] = c;
  }
  if (n > 0 && buf.data()[n - 1] == '\r') --n;
  buf.truncate(n);
  return buf;
}

}  // namespace

Terminal Terminal::detect() {
  return Terminal{::isatty(STDIN_FILENO) == 1, ::isatty(STDOUT_FILENO) == 1,
                  ::isatty(STDERR_FILENO) == 1};
}

Result<Secret> prompt_passphrase(std::string_view prompt) {
  Result<Secret> line = Status::internal("unread");
  {
    // Echo goes off (flushing what was typed ahead) before the prompt shows,
    // so nothing typed after the prompt is lost or echoed.
    EchoOff echo_off;
    std::cerr << prompt << std::flush;
    line = read_line_secret(STDIN_FILENO, kMaxPassphrase);
  }
  if (!line) {
    std::cerr << "\n" << std::flush;  // the end of input left the cursor after the prompt
    return line.status();
  }
  return line;
}

Result<Secret> read_passphrase_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::invalid("cannot open " + path + ": " + std::strerror(errno));
  Secret buf(kMaxPassphraseFile + 1);
  size_t n = 0;
  Status failed = Status::ok();
  while (n < buf.size()) {
    ssize_t r = ::read(fd, buf.data() + n, buf.size() - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      failed = Status::io("cannot read " + path + ": " + std::strerror(errno));
      break;
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(fd);
  HEARTH_TRY(failed);
  if (n > kMaxPassphraseFile)
    return Status::invalid(path + " is larger than 4 KiB; a passphrase file holds one line");
  size_t end = 0;
  while (end < n && buf.data()[end] != '\n') ++end;
  if (end > 0 && buf.data()[end - 1] == '\r') --end;
  buf.truncate(end);
  if (buf.empty()) return Status::invalid("the first line of " + path + " is empty");
  return buf;
}

std::string prompt_line(std::string_view prompt) {
  std::cerr << prompt << std::flush;
  std::string line;
  for (;;) {
    char c;
    ssize_t r = ::read(STDIN_FILENO, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || c == '\n') break;
    if (line.size() < 4096) line += c;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool confirm(std::string_view question) {
  std::string answer = prompt_line(std::string(question) + " [y/N] ");
  for (auto& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return answer == "y" || answer == "yes";
}

}  // namespace hearth::client
