#include "util/home_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace hearth {

Result<HomeLock> HomeLock::try_take(const std::string& lock_path) {
  UniqueFd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return Status::io("cannot open " + lock_path + ": " + std::strerror(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Status::refused(lock_path + " is held by a running hearthd");
    return Status::io("cannot lock " + lock_path + ": " + std::strerror(errno));
  }
  return HomeLock(std::move(fd));
}

}  // namespace hearth
