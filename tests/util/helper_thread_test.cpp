#include "util/helper_thread.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

using hearth::HelperThread;

TEST_CASE("the helper runs a job on another thread and wait() returns once it is done") {
  HelperThread& helper = HelperThread::shared();
  for (int round = 0; round < 100; ++round) {
    std::thread::id ran_on;
    int value = 0;
    REQUIRE(helper.try_run([&] {
      ran_on = std::this_thread::get_id();
      value = round + 1;
    }));
    helper.wait();
    CHECK(ran_on != std::this_thread::get_id());
    CHECK(value == round + 1);
  }
}

TEST_CASE("the helper takes one caller's job at a time") {
  HelperThread& helper = HelperThread::shared();
  std::atomic<bool> release{false};
  REQUIRE(helper.try_run([&] {
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }));
  bool second = true;
  std::thread other([&] { second = helper.try_run([] {}); });
  other.join();
  CHECK_FALSE(second);  // busy: that caller does its work itself
  release = true;
  helper.wait();
  REQUIRE(helper.try_run([] {}));  // free again
  helper.wait();
}
