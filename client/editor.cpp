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
#include "util/unique_fd.h"

namespace hearth::client {
namespace {

Status errno_status(const std::string& what) {
  return Status::io(what + ": " + std::strerror(errno));
}

std::string kib(size_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

// Reads until EOF or kMaxEntryFile + 1 bytes, whichever comes first.
Result<std::string> read_bounded(int fd, const std::string& source) {
  std::string out;
  char buf[8192];
  while (out.size() <= kMaxEntryFile) {
    const size_t want = std::min(sizeof(buf), kMaxEntryFile + 1 - out.size());
    const ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::invalid("cannot read " + source + ": " + std::strerror(errno));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Whether `name` is an executable file in one of $PATH's directories.
bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view dirs(path);
  while (true) {
    const size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return true;
    if (colon == std::string_view::npos) return false;
    dirs.remove_prefix(colon + 1);
  }
}

// Blocks SIGHUP and SIGTERM for its lifetime, so the draft's record of its
// editor and the editor itself change together.
class HangupsBlocked {
 public:
  HangupsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~HangupsBlocked() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  HangupsBlocked(const HangupsBlocked&) = delete;
  HangupsBlocked& operator=(const HangupsBlocked&) = delete;
  const sigset_t& old_mask() const { return old_; }

 private:
  sigset_t old_;
};

}  // namespace

std::string draft_text(std::string_view file_text) {
  std::string text;
  text.reserve(file_text.size());
  for (size_t i = 0; i < file_text.size(); ++i) {
    if (file_text[i] == '\r' && i + 1 < file_text.size() && file_text[i + 1] == '\n') continue;
    text += file_text[i];
  }
  return std::string(trim(text));
}

std::string too_long_message(size_t bytes, std::string_view what) {
  const std::string size = bytes > kMaxEntryFile ? "more than " + kib(kMaxEntryFile) : kib(bytes);
  return "The text is " + size + "; a " + std::string(what) + " holds at most " +
         kib(kMaxEntryText) + ", so nothing was saved.";
}

std::string editor_command() {
  if (const char* v = std::getenv("VISUAL"); v && *v) return v;
  if (const char* e = std::getenv("EDITOR"); e && *e) return e;
  if (on_path("sensible-editor")) return "sensible-editor";
  return "vi";
}

bool editor_configured() {
  const char* v = std::getenv("VISUAL");
  const char* e = std::getenv("EDITOR");
  return (v && *v) || (e && *e);
}

Status run_editor(Draft& draft) {
  const std::string command = editor_command();
  // `exec`, so the process waited for (and stopped on SIGHUP) is the editor
  // itself, not a shell around it; through /bin/sh so the command may carry
  // arguments.
  const std::string script = "exec " + command + " \"$1\"";
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  struct sigaction old_int {};
  struct sigaction old_quit {};
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);

  pid_t pid = -1;
  {
    HangupsBlocked blocked;
    pid = ::fork();
    if (pid == 0) {
      ::sigaction(SIGINT, &old_int, nullptr);
      ::sigaction(SIGQUIT, &old_quit, nullptr);
      ::sigprocmask(SIG_SETMASK, &blocked.old_mask(), nullptr);
      ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", draft.path().c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid > 0) draft.set_editor(pid);
  }

  Status result = Status::ok();
  int wstatus = 0;
  if (pid < 0) {
    result = errno_status("cannot start the editor");
  } else {
    // Wait without reaping, so the pid the signal wipe may stop stays this
    // editor's until the record of it is cleared.
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0) {
      if (errno != EINTR) {
        result = errno_status("cannot wait for the editor");
        break;
      }
    }
    HangupsBlocked blocked;
    draft.set_editor(0);
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  HEARTH_TRY(result);
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
    return Status::invalid("cannot start the editor '" + command +
                           "': set $EDITOR to an editor that is installed");
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    return Status::invalid("Your editor ended with an error, so nothing was saved.");
  return Status::ok();
}

Result<std::string> read_text_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::invalid("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
    return Status::invalid(path + " is a folder; give the file that holds your text");
  return read_bounded(fd.get(), path);
}

Result<std::string> read_stdin_text() { return read_bounded(STDIN_FILENO, "stdin"); }

}  // namespace hearth::client
