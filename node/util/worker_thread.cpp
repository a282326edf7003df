#include "util/worker_thread.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hearth {

WorkerThread::WorkerThread(bool background) : thread_([this, background] { loop(background); }) {}

WorkerThread::~WorkerThread() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void WorkerThread::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void WorkerThread::loop(bool background) {
  if (background) {
    // Linux applies a nice value to the one thread whose id is given. Best
    // effort: refused, the thread runs at the usual priority.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    (void)::setpriority(PRIO_PROCESS, tid, 10);
  }
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // whatever the job captured goes on this thread, outside the lock
    lock.lock();
  }
}

}  // namespace hearth
