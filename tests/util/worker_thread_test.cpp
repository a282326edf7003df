#include "util/worker_thread.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using hearth::WorkerThread;

TEST_CASE("the worker runs posted jobs one at a time, in order, on its own thread") {
  std::vector<int> order;  // touched by the worker only, read after it joined
  std::atomic<int> done{0};
  std::thread::id ran_on;
  {
    WorkerThread worker;
    for (int i = 0; i < 50; ++i) {
      worker.post([&, i] {
        ran_on = std::this_thread::get_id();
        order.push_back(i);
        ++done;
      });
    }
    while (done.load() < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(ran_on != std::this_thread::get_id());
  REQUIRE(order.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(order[i] == i);
}

TEST_CASE("destroying the worker lets the running job finish and drops the waiting ones") {
  std::atomic<bool> release{false};
  std::atomic<bool> first_started{false};
  std::atomic<bool> first_done{false};
  std::atomic<bool> second_ran{false};
  std::thread releaser;
  {
    WorkerThread worker(/*background=*/true);
    worker.post([&] {
      first_started = true;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      first_done = true;
    });
    worker.post([&] { second_ran = true; });
    while (!first_started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      release = true;
    });
  }  // the first job is still running here
  releaser.join();
  CHECK(first_done.load());
  CHECK_FALSE(second_ran.load());
}
