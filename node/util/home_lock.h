// The home's lock: an exclusive flock() on $HEARTH_HOME/hearthd.lock.
//
// hearthd holds it for its whole life, so two daemons never share a home.
// `hearth passphrase` takes it too when it rewrites the key file of a home
// whose daemon is stopped: whoever holds the lock is the only process that
// may rewrite the key file, so a daemon cannot start half-way through.
#pragma once

#include <string>

#include "util/status.h"
#include "util/unique_fd.h"

namespace hearth {

class HomeLock {
 public:
  // Takes the lock without waiting. kRefused when another process holds it
  // (a running hearthd); kIo when the file cannot be opened or created (0600).
  static Result<HomeLock> try_take(const std::string& lock_path);

  HomeLock(HomeLock&&) = default;
  HomeLock& operator=(HomeLock&&) = default;
  // Releases the lock (closing the file does).
  ~HomeLock() = default;

 private:
  explicit HomeLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace hearth
