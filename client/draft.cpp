#include "client/draft.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

#include "util/assert.h"

namespace hearth::client {
namespace {

// How deep wiping follows directories inside a draft's directory (editors
// make at most one level, e.g. an undo directory).
constexpr int kWipeDepth = 3;

// ---------------------------------------------------------------- wiping
//
// Everything down to wipe_dir() is async-signal-safe: system calls only, no
// allocation, no locks. It runs in the signal handler as well as normally.

const char kZeros[4096] = {};

void zero_file_at(int dirfd, const char* name) {
  const int fd = ::openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t left = st.st_size;
    while (left > 0) {
      const size_t n =
          left < static_cast<off_t>(sizeof(kZeros)) ? static_cast<size_t>(left) : sizeof(kZeros);
      const ssize_t written = ::write(fd, kZeros, n);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) break;
      left -= written;
    }
    (void)::fsync(fd);
  }
  ::close(fd);
}

// Zeroes and removes everything in the directory open as `dirfd`.
void wipe_entries(int dirfd, int depth) {
  alignas(struct dirent64) char buf[2048];
  // Entries are removed while listing, so list from the start again until
  // nothing is left (bounded, in case something cannot be removed).
  for (int round = 0; round < 64; ++round) {
    if (::lseek(dirfd, 0, SEEK_SET) < 0) return;
    const ssize_t n = ::getdents64(dirfd, buf, sizeof(buf));
    if (n <= 0) return;
    bool any = false;
    for (ssize_t off = 0; off < n;) {
      const auto* entry = reinterpret_cast<const struct dirent64*>(buf + off);
      off += entry->d_reclen;
      const char* name = entry->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      any = true;
      struct stat st {};
      if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        if (depth > 0) {
          const int sub = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (sub >= 0) {
            wipe_entries(sub, depth - 1);
            ::close(sub);
          }
        }
        ::unlinkat(dirfd, name, AT_REMOVEDIR);
      } else {
        if (S_ISREG(st.st_mode)) zero_file_at(dirfd, name);
        ::unlinkat(dirfd, name, 0);
      }
    }
    if (!any) return;
  }
}

// Wipes the directory `dir` and everything in it; returns whether it is gone.
bool wipe_dir(const char* dir) {
  const int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    wipe_entries(fd, kWipeDepth);
    ::close(fd);
  }
  return ::rmdir(dir) == 0 || errno == ENOENT;
}

// ---------------------------------------------------------------- signals

// The armed draft's directory and its editor, read by the signal handlers.
// Written by the main thread only with BlockSignals held.
char g_dir[PATH_MAX];
volatile sig_atomic_t g_armed = 0;
volatile sig_atomic_t g_editor = 0;
struct sigaction g_old_hup {};
struct sigaction g_old_term {};
// What SIGINT writes before ending the process, once keep_on_interrupt()
// armed it.
char g_note[2 * PATH_MAX + 1024];
size_t g_note_size = 0;
volatile sig_atomic_t g_interrupt_armed = 0;
struct sigaction g_old_int {};

// Asks the editor to stop with `sig` (an editor saves its buffers on SIGHUP
// or SIGTERM, into the draft's directory) and waits for it, killing it after
// kEditorStopSeconds.
void stop_editor(pid_t pid, int sig) {
  ::kill(pid, sig);
  constexpr long kStepNs = 20'000'000;
  for (long waited = 0; waited < kEditorStopSeconds * 1'000'000'000L; waited += kStepNs) {
    const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return;
    struct timespec step {
      0, kStepNs
    };
    ::nanosleep(&step, nullptr);
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void wipe_on_signal(int sig) {
  const int saved_errno = errno;
  if (g_armed) {
    const pid_t editor = static_cast<pid_t>(g_editor);
    if (editor > 0) stop_editor(editor, sig);
    wipe_dir(g_dir);
    g_armed = 0;
  }
  // End as the signal would have ended the process: it is delivered once
  // this handler returns and unblocks it.
  ::signal(sig, SIG_DFL);
  ::raise(sig);
  errno = saved_errno;
}

void keep_on_signal(int) {
  if (g_armed) {
    size_t done = 0;
    while (done < g_note_size) {
      const ssize_t n = ::write(STDERR_FILENO, g_note + done, g_note_size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  ::_exit(130);
}

class BlockSignals {
 public:
  BlockSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  BlockSignals(const BlockSignals&) = delete;
  BlockSignals& operator=(const BlockSignals&) = delete;

 private:
  sigset_t old_;
};

// Call with BlockSignals held.
void arm(const std::string& dir) {
  HEARTH_ASSERT(!g_armed, "one draft at a time");
  HEARTH_ASSERT(dir.size() < sizeof(g_dir), "draft directory path too long");
  std::memcpy(g_dir, dir.c_str(), dir.size() + 1);
  g_editor = 0;
  g_armed = 1;
  struct sigaction sa {};
  sa.sa_handler = wipe_on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaddset(&sa.sa_mask, SIGINT);
  ::sigaction(SIGHUP, &sa, &g_old_hup);
  ::sigaction(SIGTERM, &sa, &g_old_term);
}

// Call with BlockSignals held.
void disarm() {
  if (!g_armed) return;
  g_armed = 0;
  g_editor = 0;
  ::sigaction(SIGHUP, &g_old_hup, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  if (g_interrupt_armed) {
    g_interrupt_armed = 0;
    ::sigaction(SIGINT, &g_old_int, nullptr);
  }
}

// ---------------------------------------------------------------- places

// A directory this user owns that no one else can enter.
bool private_dir_of_mine(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
         (st.st_mode & 077) == 0;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_tmpfs(const std::string& path) {
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

Status errno_status(const std::string& what) {
  return Status::io(what + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> draft_root() {
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg && is_dir(xdg))
    return std::string(xdg);
  const std::string run_user = "/run/user/" + std::to_string(::geteuid());
  if (private_dir_of_mine(run_user)) return run_user;
  if (is_dir("/dev/shm") && is_tmpfs("/dev/shm")) return std::string("/dev/shm");
  return Status::refused(
      "there is no private place in memory for a draft here (no $XDG_RUNTIME_DIR, "
      "/run/user/" +
      std::to_string(::geteuid()) +
      " or /dev/shm), so your editor was not opened. "
      "Write with `-` instead (type, then press Ctrl-D), or put your text in a file of yours and "
      "use --from FILE");
}

Result<Draft> Draft::create(std::string_view initial, std::string_view file_name) {
  HEARTH_ASSIGN_OR_RETURN(std::string root, draft_root());
  std::string dir = root + "/" + std::string(kDraftDirPrefix) + "XXXXXX";
  {
    BlockSignals blocked;
    if (::mkdtemp(dir.data()) == nullptr)  // mode 0700
      return errno_status("cannot make a private directory for the draft in " + root);
    arm(dir);
  }
  Draft draft(dir, dir + "/" + std::string(file_name));
  const int fd =
      ::open(draft.path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot make the draft " + draft.path_);
  size_t done = 0;
  Status written = Status::ok();
  while (done < initial.size()) {
    const ssize_t n = ::write(fd, initial.data() + done, initial.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      written = errno_status("cannot write the draft " + draft.path_);
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (written.is_ok() && ::fchmod(fd, 0600) != 0)
    written = errno_status("cannot protect the draft " + draft.path_);
  ::close(fd);
  HEARTH_TRY(written);
  return draft;
}

Draft::Draft(Draft&& other) noexcept
    : dir_(std::move(other.dir_)),
      path_(std::move(other.path_)),
      armed_(std::exchange(other.armed_, false)) {}

Draft::~Draft() { wipe(); }

void Draft::keep() {
  if (!armed_) return;
  armed_ = false;
  BlockSignals blocked;
  disarm();
}

void Draft::wipe() {
  if (!armed_) return;
  armed_ = false;
  BlockSignals blocked;
  wipe_dir(dir_.c_str());
  disarm();
}

void Draft::keep_on_interrupt(std::string_view note) {
  if (!armed_) return;
  BlockSignals blocked;
  g_note_size = std::min(note.size(), sizeof(g_note));
  std::memcpy(g_note, note.data(), g_note_size);
  struct sigaction sa {};
  sa.sa_handler = keep_on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaddset(&sa.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &sa, g_interrupt_armed ? nullptr : &g_old_int);
  g_interrupt_armed = 1;
}

void Draft::set_editor(pid_t pid) {
  if (armed_) g_editor = pid;
}

bool is_hearth_draft(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return false;
  const std::string dir = path.substr(0, slash);
  const std::string dir_name = dir.substr(dir.rfind('/') + 1);
  if (dir_name.size() != kDraftDirPrefix.size() + 6 || dir_name.rfind(kDraftDirPrefix, 0) != 0)
    return false;
  struct stat st {};
  return private_dir_of_mine(dir) && ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_uid == ::geteuid();
}

Status wipe_draft_of(const std::string& path) {
  HEARTH_ASSERT(is_hearth_draft(path), "only Hearth's own drafts are wiped");
  const std::string dir = path.substr(0, path.rfind('/'));
  BlockSignals blocked;
  if (!wipe_dir(dir.c_str())) return errno_status("cannot remove " + dir);
  return Status::ok();
}

}  // namespace hearth::client
