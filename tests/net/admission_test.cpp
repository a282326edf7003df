// Limits on what strangers can hold or write: net/pending_pool.h and
// net/refusal_log.h.
#include <doctest/doctest.h>

#include <algorithm>

#include "net/pending_pool.h"
#include "net/refusal_log.h"

using namespace hearth;
using net::PendingPool;
using net::RefusalLog;

TEST_CASE("a full pending pool closes the oldest connection of the source, then of all") {
  PendingPool pool(2, 4);
  std::vector<int> closed;
  std::vector<PendingPool::Ticket> tickets;
  auto admit = [&](const std::string& source, int n) {
    tickets.push_back(pool.admit(source, [&closed, n] { closed.push_back(n); }));
  };
  admit("10.0.0.7", 1);
  admit("10.0.0.7", 2);
  admit("10.0.0.7", 3);  // the third from one source: the first goes
  CHECK(closed == std::vector<int>{1});
  CHECK(pool.from("10.0.0.7") == 2);
  admit("10.0.0.8", 4);
  admit("10.0.0.9", 5);  // four in all
  CHECK(pool.size() == 4);
  admit("10.0.0.10", 6);  // a fifth: the oldest of all goes
  CHECK(closed == std::vector<int>{1, 2});
  CHECK(pool.size() == 4);
  // A ticket given back frees its place, once; an evicted one's does nothing.
  tickets[0].release();
  tickets[2].release();
  CHECK(pool.size() == 3);
  tickets.clear();
  CHECK(pool.size() == 0);
}

TEST_CASE("connections from one IPv6 /64 count as one source; IPv4-mapped ones as IPv4") {
  auto a = asio::ip::make_address("2001:db8:1:2::5");
  auto b = asio::ip::make_address("2001:db8:1:2:ffff::1");
  auto c = asio::ip::make_address("2001:db8:1:3::5");
  CHECK(net::source_of(a) == net::source_of(b));
  CHECK(net::source_of(a) != net::source_of(c));
  CHECK(net::source_of(a) == "2001:db8:1:2::/64");
  CHECK(net::source_of(asio::ip::make_address("::ffff:10.0.0.7")) == "10.0.0.7");
  CHECK(net::source_of(asio::ip::make_address("10.0.0.7")) == "10.0.0.7");
}

TEST_CASE("refusals are recorded once per source and window, then counted") {
  RefusalLog log(std::chrono::minutes(1));
  const auto t0 = RefusalLog::Clock::now();
  auto lines = log.refused("10.0.0.7", "refused a connection from an unknown device AAAAAAA", t0);
  CHECK(lines == std::vector<std::string>{
                     "refused a connection from an unknown device AAAAAAA at 10.0.0.7"});
  for (int i = 1; i < 312; ++i) {
    const auto more =
        log.refused("10.0.0.7", "refused a connection from an unknown device X" + std::to_string(i),
                    t0 + std::chrono::milliseconds(i));
    CHECK(more.empty());
  }
  CHECK(log.refused("10.0.0.8", "refused one", t0 + std::chrono::seconds(2)) ==
        std::vector<std::string>{"refused one at 10.0.0.8"});
  CHECK(log.window_end() == t0 + std::chrono::minutes(1));
  // The window ends: one line for the source that kept trying.
  CHECK(log.flush() ==
        std::vector<std::string>{"312 connections refused from 10.0.0.7 in the last minute"});
  CHECK_FALSE(log.window_end().has_value());
  // A refusal after the window ended starts a new one, and says what the
  // old one held first.
  RefusalLog later(std::chrono::seconds(1));
  (void)later.refused("10.0.0.7", "refused", t0);
  (void)later.refused("10.0.0.7", "refused", t0);
  CHECK(later.refused("10.0.0.7", "refused", t0 + std::chrono::seconds(2)) ==
        std::vector<std::string>{"2 connections refused from 10.0.0.7 in the last 1 s",
                                 "refused at 10.0.0.7"});
}

TEST_CASE("a window records a bounded number of lines however many sources are refused") {
  RefusalLog log;
  const auto t0 = RefusalLog::Clock::now();
  size_t recorded = 0;
  for (int i = 0; i < 11'000; ++i) {
    const std::string source = "10." + std::to_string(i / 256 / 256) + "." +
                               std::to_string(i / 256 % 256) + "." + std::to_string(i % 256);
    recorded += log.refused(source, "refused a connection from a stranger", t0).size();
  }
  CHECK(recorded == RefusalLog::kMaxSources);
  const auto summary = log.flush();
  REQUIRE(summary.size() == 1);
  CHECK(summary[0] ==
        "10984 connections refused from at least 4096 other addresses in the last minute");
}
