// HelperThread: one long-lived thread that runs a job beside its caller, for
// work split in two halves (sync/batch.cpp opens half a batch's bodies on
// it). Starting a thread per job would cost more than small jobs save.
//
// One job at a time: try_run() refuses (false) while another caller's job
// runs, and that caller then does the work itself. The thread starts with
// the first job and lives as long as the process.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace hearth {

class HelperThread {
 public:
  // The process's helper.
  static HelperThread& shared();

  // Starts `job` on the helper and returns at once; false (nothing started)
  // when the helper is busy with another caller's job or cannot start.
  bool try_run(std::function<void()> job);
  // Returns once the job try_run() started has finished.
  void wait();

 private:
  HelperThread() = default;
  void loop();

  std::mutex owner_;  // held from try_run() to wait()
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> job_;  // set: to run
  bool done_ = false;
  std::thread thread_;
};

}  // namespace hearth
