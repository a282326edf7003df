#include "client/editor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "client/text.h"

namespace hearth::client {
namespace {

// A file read back from the editor may hold the comment lines as well.
constexpr size_t kMaxEditorFile = 4 * kMaxEntryText;

Status errno_status(const std::string& what) {
  return Status::io(what + ": " + std::strerror(errno));
}

Status write_all(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot write the temporary file");
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

// Reads at most `limit` bytes from fd; more is an error.
Result<std::string> read_limited(int fd, size_t limit, const char* too_large) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot read the text");
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) return Status::invalid(too_large);
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Overwrites the file at `path` with zeros, then removes it. Best effort:
// called on every exit path, including errors.
void wipe_and_remove(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      std::string zeros(8192, '\0');
      auto left = static_cast<size_t>(st.st_size);
      while (left > 0) {
        const size_t n = std::min(left, zeros.size());
        if (!write_all(fd, std::string_view(zeros.data(), n)).is_ok()) break;
        left -= n;
      }
      (void)::fsync(fd);
    }
    ::close(fd);
  }
  ::unlink(path.c_str());
}

class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  ~TempFileGuard() { wipe_and_remove(path_); }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  std::string path_;
};

// Runs `command "$1"` through /bin/sh (so $EDITOR may carry arguments) and
// waits. Interrupts go to the editor; this process waits for it to finish so
// the temporary file is always wiped.
Status run_editor(const std::string& command, const std::string& path) {
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  const std::string script = command + " \"$1\"";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int wstatus = 0;
  Status result = Status::ok();
  if (pid < 0) {
    result = errno_status("cannot start the editor");
  } else {
    while (::waitpid(pid, &wstatus, 0) < 0) {
      if (errno != EINTR) {
        result = errno_status("cannot wait for the editor");
        break;
      }
    }
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  HEARTH_TRY(result);
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
    return Status::invalid("cannot start the editor '" + command +
                           "': set $EDITOR to an editor that is installed");
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    return Status::invalid("the editor did not finish normally, so nothing was saved");
  return Status::ok();
}

}  // namespace

std::string editor_template(std::string_view current, std::string_view what,
                            std::string_view privacy_line) {
  std::string out(current);
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "\n# Write your " + std::string(what) + " above this line, then save and close.\n";
  out += "# Lines starting with '#' are left out. An empty text saves nothing.\n";
  if (!privacy_line.empty()) out += "# " + std::string(privacy_line) + "\n";
  return out;
}

std::string strip_editor_text(std::string_view file_text) {
  std::string kept;
  size_t start = 0;
  while (start < file_text.size()) {
    size_t end = file_text.find('\n', start);
    if (end == std::string_view::npos) end = file_text.size();
    std::string_view line = file_text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() != '#') {
      kept.append(line);
      kept += '\n';
    }
    start = end + 1;
  }
  return std::string(trim(kept));
}

std::string editor_temp_dir() {
  if (const char* d = std::getenv("XDG_RUNTIME_DIR"); d && *d) return d;
  return "/tmp";
}

std::string editor_command() {
  if (const char* v = std::getenv("VISUAL"); v && *v) return v;
  if (const char* e = std::getenv("EDITOR"); e && *e) return e;
  return "vi";
}

bool editor_configured() {
  const char* v = std::getenv("VISUAL");
  const char* e = std::getenv("EDITOR");
  return (v && *v) || (e && *e);
}

Result<std::string> edit_in_editor(std::string_view initial) {
  std::string path = editor_temp_dir() + "/hearth-XXXXXX.txt";
  int fd = ::mkstemps(path.data(), 4);  // mode 0600
  if (fd < 0) return errno_status("cannot create a temporary file in " + editor_temp_dir());
  TempFileGuard guard(path);
  Status written = write_all(fd, initial);
  if (written.is_ok() && ::fchmod(fd, 0600) != 0) written = errno_status("cannot protect " + path);
  ::close(fd);
  HEARTH_TRY(written);

  HEARTH_TRY(run_editor(editor_command(), path));

  // Editors may replace the file rather than write into it: open it afresh.
  int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) return errno_status("cannot read back " + path);
  Result<std::string> text =
      read_limited(in, kMaxEditorFile, "the text is larger than 64 KiB, so nothing was saved");
  ::close(in);
  return text;
}

Result<std::string> read_stdin_text() {
  return read_limited(STDIN_FILENO, kMaxEntryText,
                      "the text on stdin is larger than 64 KiB; nothing was saved");
}

}  // namespace hearth::client
