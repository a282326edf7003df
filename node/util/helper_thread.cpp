#include "util/helper_thread.h"

#include <system_error>

namespace hearth {

HelperThread& HelperThread::shared() {
  // Never destroyed: the thread may still wait for work while the process
  // exits, and nothing at exit needs it joined.
  static HelperThread* helper = new HelperThread;
  return *helper;
}

bool HelperThread::try_run(std::function<void()> job) {
  if (!owner_.try_lock()) return false;
  std::unique_lock lock(mu_);
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { loop(); });
    } catch (const std::system_error&) {
      lock.unlock();
      owner_.unlock();
      return false;
    }
  }
  job_ = std::move(job);
  done_ = false;
  lock.unlock();
  cv_.notify_all();
  return true;
}

void HelperThread::wait() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return done_; });
  }
  owner_.unlock();
}

void HelperThread::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return static_cast<bool>(job_); });
    std::function<void()> job = std::move(job_);
    job_ = nullptr;
    lock.unlock();
    job();
    lock.lock();
    done_ = true;
    cv_.notify_all();
  }
}

}  // namespace hearth
