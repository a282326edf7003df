// WorkerThread: one thread that runs posted jobs, one at a time, in the order
// they were posted. For slow work the daemon's event loop must not wait for
// (Argon2id over a passphrase takes most of a second): the loop posts the
// job, and the job posts its result back to the loop itself.
//
// Thread-safe: post() may be called from any thread. The destructor lets the
// job under way finish, drops jobs not yet started, and joins the thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace hearth {

class WorkerThread {
 public:
  // With `background`, the thread runs at a lower scheduling priority (nice
  // +10), so on a busy machine the event loop gets the CPU first.
  explicit WorkerThread(bool background = false);
  ~WorkerThread();
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Queues `job` to run on the worker.
  void post(std::function<void()> job);

 private:
  void loop(bool background);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace hearth
