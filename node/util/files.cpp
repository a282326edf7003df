#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "util/unique_fd.h"

namespace hearth {
namespace {

Status errno_status(const std::string& what, const std::string& path) {
  return Status::io(what + " " + path + ": " + std::strerror(errno));
}

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkdir -p for the parents of a home: ordinary 0755 directories such as ~/.local/share.
Status make_parent_dirs(const std::string& path) {
  if (path.empty() || path == "/" || path == "." || path_exists(path)) return Status::ok();
  HEARTH_TRY(make_parent_dirs(parent_of(path)));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return errno_status("cannot create", path);
  return Status::ok();
}

}  // namespace

Result<Bytes> read_small_file(const std::string& path, size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::not_found(path + " does not exist");
    return errno_status("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return Status::invalid(path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return Status::invalid(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  Bytes data(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot read", path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

Result<AtomicFile> AtomicFile::create(const std::string& path, unsigned mode, bool overwrite) {
  if (!overwrite && path_exists(path)) return Status::refused(path + " already exists");
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                  static_cast<mode_t>(mode));
  if (fd < 0) return errno_status("cannot create", tmp);
  return AtomicFile(path, fd, overwrite);
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : path_(std::move(o.path_)), fd_(std::exchange(o.fd_, -1)), overwrite_(o.overwrite_) {}

AtomicFile::~AtomicFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink((path_ + ".tmp").c_str());
}

Status AtomicFile::write(ByteView data) {
  if (fd_ < 0) return Status::internal("write after commit");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot write", path_ + ".tmp");
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Status AtomicFile::commit() {
  if (fd_ < 0) return Status::internal("commit twice");
  const std::string tmp = path_ + ".tmp";
  if (::fsync(fd_) != 0) return errno_status("cannot sync", tmp);
  ::close(std::exchange(fd_, -1));
  if (!overwrite_) {
    if (::link(tmp.c_str(), path_.c_str()) != 0) {
      Status st = errno_status("cannot create", path_);
      ::unlink(tmp.c_str());
      return st;
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    Status st = errno_status("cannot replace", path_);
    ::unlink(tmp.c_str());
    return st;
  }
  UniqueFd dir(::open(parent_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return Status::ok();
}

Status write_file_atomically(const std::string& path, ByteView data, unsigned mode, bool overwrite,
                             const WriteStepHook& after_step) {
  auto step = [&after_step](WriteStep done) {
    return after_step ? after_step(done) : Status::ok();
  };
  if (!overwrite && path_exists(path)) return Status::refused(path + " already exists");
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                 static_cast<mode_t>(mode)));
    if (fd.get() < 0) return errno_status("cannot create", tmp);
    HEARTH_TRY(step(WriteStep::kTempCreated));
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status("cannot write", tmp);
      done += static_cast<size_t>(n);
    }
    HEARTH_TRY(step(WriteStep::kTempWritten));
    if (::fsync(fd.get()) != 0) return errno_status("cannot sync", tmp);
    HEARTH_TRY(step(WriteStep::kTempSynced));
  }
  if (!overwrite) {
    // link() fails if `path` appeared meanwhile: no silent replacement.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      Status st = errno_status("cannot create", path);
      ::unlink(tmp.c_str());
      return st;
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return errno_status("cannot replace", path);
  }
  HEARTH_TRY(step(WriteStep::kReplaced));
  UniqueFd dir(::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // Best effort: the file is already in place, and some file systems refuse
  // to sync a directory.
  if (dir.get() >= 0) ::fsync(dir.get());
  return step(WriteStep::kDirSynced);
}

Status ensure_private_dir(const std::string& path) {
  if (path.empty()) return Status::invalid("empty directory path");
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return errno_status("cannot inspect", path);
    HEARTH_TRY(make_parent_dirs(parent_of(path)));
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
      return errno_status("cannot create", path);
    if (::lstat(path.c_str(), &st) != 0) return errno_status("cannot inspect", path);
  }
  if (!S_ISDIR(st.st_mode)) return Status::invalid(path + " exists and is not a directory");
  if (st.st_uid != ::geteuid()) return Status::refused(path + " belongs to another user");
  if ((st.st_mode & 0777) != 0700 && ::chmod(path.c_str(), 0700) != 0)
    return errno_status("cannot set permissions on", path);
  return Status::ok();
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Result<std::string> resolve_home(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* h = std::getenv("HEARTH_HOME"); h && *h) return std::string(h);
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/hearth";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/hearth";
  return Status::invalid("cannot tell where to keep Hearth's files: set HEARTH_HOME or use --home");
}

}  // namespace hearth
