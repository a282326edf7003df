// The PassphraseGate: Argon2id work on a worker thread, one job at a time,
// with a growing wait after wrong passphrases. Runs under ThreadSanitizer too.
#include "control/passphrase_gate.h"

#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "util/worker_thread.h"

using namespace hearth;
using namespace std::chrono_literals;

TEST_CASE("the event loop keeps running while a job runs on the worker") {
  asio::io_context io;
  WorkerThread worker;
  control::PassphraseGate gate(io.get_executor(), worker);
  std::atomic<bool> release{false};
  bool done = false;
  std::thread::id ran_on, done_on;
  gate.submit(
      [&] {
        ran_on = std::this_thread::get_id();
        while (!release.load()) std::this_thread::sleep_for(1ms);
        return Status::ok();
      },
      [&](Status st) {
        CHECK(st.is_ok());
        done_on = std::this_thread::get_id();
        done = true;
      });
  // Other work on the loop goes on meanwhile.
  int ticks = 0;
  asio::steady_timer tick(io);
  std::function<void()> again = [&] {
    tick.expires_after(1ms);
    tick.async_wait([&](const std::error_code&) {
      if (++ticks == 20) release = true;
      if (!done) again();
    });
  };
  again();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(5ms);
  }
  CHECK(done);
  CHECK(ticks >= 20);
  CHECK(ran_on != std::this_thread::get_id());
  CHECK(done_on == std::this_thread::get_id());
}

TEST_CASE("after wrong passphrases each next check waits longer; a right one resets the wait") {
  using control::PassphraseGate;
  CHECK(PassphraseGate::backoff_after(0) == 0ms);
  CHECK(PassphraseGate::backoff_after(1) == 1s);
  CHECK(PassphraseGate::backoff_after(2) == 2s);
  CHECK(PassphraseGate::backoff_after(4) == 8s);
  CHECK(PassphraseGate::backoff_after(6) == 30s);
  CHECK(PassphraseGate::backoff_after(100) == 30s);

  asio::io_context io;
  WorkerThread worker;
  PassphraseGate gate(io.get_executor(), worker, /*backoff_unit=*/40ms);
  std::vector<std::chrono::steady_clock::time_point> started;
  std::vector<Code> outcomes;
  auto job = [&](Code result) {
    gate.submit(
        [&started, result] {
          started.push_back(std::chrono::steady_clock::now());
          return result == Code::kOk ? Status::ok() : Status(result, "checked");
        },
        [&outcomes](Status st) { outcomes.push_back(st.code()); });
  };
  // Three wrong, one right, one more wrong, queued at once: one at a time, in order.
  for (Code c : {Code::kAuthFailed, Code::kAuthFailed, Code::kAuthFailed, Code::kOk,
                 Code::kAuthFailed, Code::kOk})
    job(c);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (outcomes.size() < 6 && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(5ms);
  }
  REQUIRE(outcomes.size() == 6);
  CHECK(outcomes == std::vector<Code>{Code::kAuthFailed, Code::kAuthFailed, Code::kAuthFailed,
                                      Code::kOk, Code::kAuthFailed, Code::kOk});
  // The waits between starts: 1, 2, 4 units after the wrong ones in a row,
  // none after the right one, then 1 unit again.
  auto gap = [&](size_t i) { return started[i + 1] - started[i]; };
  CHECK(gap(0) >= 40ms);
  CHECK(gap(1) >= 80ms);
  CHECK(gap(2) >= 160ms);
  CHECK(gap(3) < 40ms);
  CHECK(gap(4) >= 40ms);
  CHECK(gate.failures_in_a_row() == 0);
}
