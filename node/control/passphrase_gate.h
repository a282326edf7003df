// The passphrase work of `hearth unlock` and `hearth passphrase`: Argon2id
// over the passphrase takes most of a second and 256 MiB, so it runs on a
// worker thread while the event loop goes on answering `status` and syncing.
//
// - One job at a time, in arrival order: the key file is read and rewritten
//   by one job only, and two Argon2id runs never need memory at once. At most
//   kMaxWaiting jobs wait; more are refused at once (kRefused).
// - After a wrong passphrase (a job that returned kAuthFailed) the next job
//   starts no sooner than backoff_after(failures in a row) after it ended:
//   1 s, 2 s, 4 s … at most 30 s. A job that succeeds resets the count.
//   A person who mistyped does not notice; a program guessing is slowed down.
//
// Single-threaded, like the rest of the daemon: submit() and every `done`
// run on the io thread; only `work` runs on the worker. Destroying the gate
// drops the jobs still waiting and any `done` not yet run.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

#include "util/status.h"
#include "util/worker_thread.h"

namespace hearth::control {

class PassphraseGate {
 public:
  static constexpr size_t kMaxWaiting = 8;
  static constexpr std::chrono::seconds kBackoffUnit{1};
  static constexpr int kMaxBackoffUnits = 30;
  // How long the next job waits after `failures` wrong passphrases in a row:
  // 0 for none, then 1, 2, 4 … units, at most kMaxBackoffUnits units.
  static std::chrono::milliseconds backoff_after(int failures,
                                                 std::chrono::milliseconds unit = kBackoffUnit);

  // `worker` must outlive the gate. `backoff_unit` is shorter in tests only.
  PassphraseGate(asio::any_io_executor io, WorkerThread& worker,
                 std::chrono::milliseconds backoff_unit = kBackoffUnit);
  ~PassphraseGate();
  PassphraseGate(const PassphraseGate&) = delete;
  PassphraseGate& operator=(const PassphraseGate&) = delete;

  // Queues `work` (run on the worker; it must touch nothing the io thread
  // uses) and then `done` with its Status, on the io thread. kAuthFailed from
  // `work` counts as a wrong passphrase.
  void submit(std::function<Status()> work, std::function<void(Status)> done);

  int failures_in_a_row() const { return state_->failures; }
  size_t waiting() const { return state_->queue.size(); }

 private:
  struct Job {
    std::function<Status()> work;
    std::function<void(Status)> done;
  };
  // Shared with the worker's completions, which may outlive the gate.
  struct State {
    std::deque<Job> queue;
    bool running = false;
    int failures = 0;
    std::chrono::steady_clock::time_point not_before{};
  };
  void next();
  void start(Job job);

  asio::any_io_executor io_;
  WorkerThread& worker_;
  std::chrono::milliseconds backoff_unit_;
  asio::steady_timer backoff_;
  std::shared_ptr<State> state_;
};

}  // namespace hearth::control
