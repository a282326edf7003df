#include "control/passphrase_gate.h"

#include <sodium.h>

#include <algorithm>
#include <asio/post.hpp>

namespace hearth::control {

std::chrono::milliseconds PassphraseGate::backoff_after(int failures,
                                                        std::chrono::milliseconds unit) {
  if (failures <= 0) return std::chrono::milliseconds(0);
  const int units = std::min(1 << std::min(failures - 1, 16), kMaxBackoffUnits);
  return unit * units;
}

namespace {
// How much of the worker's stack a job may have used: Argon2id keeps its
// memory on the heap; the deepest frames (libsodium's) take a few KiB.
constexpr size_t kStackToWipe = 64 * 1024;
}  // namespace

PassphraseGate::PassphraseGate(asio::any_io_executor io, WorkerThread& worker,
                               std::chrono::milliseconds backoff_unit)
    : io_(io),
      worker_(worker),
      backoff_unit_(backoff_unit),
      backoff_(io),
      state_(std::make_shared<State>()) {}

PassphraseGate::~PassphraseGate() {
  // A job on the worker finds the state orphaned and drops its `done`.
  state_->queue.clear();
}

void PassphraseGate::submit(std::function<Status()> work, std::function<void(Status)> done) {
  if (state_->queue.size() >= kMaxWaiting) {
    done(Status::refused("other passphrases are being checked; try again in a moment"));
    return;
  }
  state_->queue.push_back(Job{std::move(work), std::move(done)});
  next();
}

void PassphraseGate::next() {
  if (state_->running || state_->queue.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < state_->not_before) {
    state_->running = true;  // the timer holds the turn
    backoff_.expires_at(state_->not_before);
    backoff_.async_wait([this, weak = std::weak_ptr<State>(state_)](const std::error_code& ec) {
      auto state = weak.lock();
      if (ec || !state) return;  // the gate is gone
      state->running = false;
      next();
    });
    return;
  }
  Job job = std::move(state_->queue.front());
  state_->queue.pop_front();
  start(std::move(job));
}

void PassphraseGate::start(Job job) {
  state_->running = true;
  auto done = std::make_shared<std::function<void(Status)>>(std::move(job.done));
  worker_.post([this, work = std::move(job.work), done, weak = std::weak_ptr<State>(state_),
                io = io_]() mutable {
    Status st = work();
    work = nullptr;  // what it captured (a passphrase) is wiped here, not on the io thread later
    // The key file's secrets passed through the stack below this frame
    // (decryption, parsing): wipe it, so no copy outlives the job there.
    sodium_stackzero(kStackToWipe);
    asio::post(io, [this, weak, done, st = std::move(st)] {
      auto state = weak.lock();
      if (!state) return;  // the gate is gone: nobody waits for `done`
      state->running = false;
      if (st.code() == Code::kAuthFailed) {
        ++state->failures;
        state->not_before =
            std::chrono::steady_clock::now() + backoff_after(state->failures, backoff_unit_);
      } else if (st.is_ok()) {
        state->failures = 0;
        state->not_before = {};
      }
      (*done)(st);
      next();
    });
  });
}

}  // namespace hearth::control
