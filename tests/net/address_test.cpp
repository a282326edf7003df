#include "net/address.h"

#include <doctest/doctest.h>

#include "net/backoff.h"

#include <algorithm>
#include <cstdint>
#include <set>

using namespace hearth;

TEST_CASE("addresses are parsed and written in one normal form") {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c :
       {Case{"127.0.0.1:7421", "127.0.0.1:7421"}, Case{"192.168.1.20", "192.168.1.20:7420"},
        Case{" alex-laptop.local:9000 ", "alex-laptop.local:9000"},
        Case{"[::1]:7420", "[::1]:7420"}, Case{"[fe80::1]", "[fe80::1]:7420"},
        Case{"host:1", "host:1"}, Case{"host:65535", "host:65535"}}) {
    INFO(c.in);
    auto a = net::parse_address(c.in);
    REQUIRE(a.is_ok());
    CHECK(a->text() == c.out);
  }
  auto v6 = net::parse_address("[::1]:80");
  REQUIRE(v6.is_ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 80);
}

TEST_CASE("bad addresses are refused with a usage error") {
  for (const char* bad :
       {"", ":7420", "host:", "host:0", "host:65536", "host:12a", "::1", "fe80::1:7420", "[::1",
        "[]:7420", "[zz::1]:7420", "[::1]x", "ho st:7420", "host/x:1", "host:-1"}) {
    INFO(bad);
    CHECK(net::parse_address(bad).status().code() == Code::kInvalidArgument);
  }
}

TEST_CASE("the backoff doubles from 1 s to a 60 s cap, with jitter of at most 25%") {
  CHECK(net::Backoff::base_delay(1) == std::chrono::seconds(1));
  CHECK(net::Backoff::base_delay(2) == std::chrono::seconds(2));
  CHECK(net::Backoff::base_delay(3) == std::chrono::seconds(4));
  CHECK(net::Backoff::base_delay(7) == std::chrono::seconds(60));
  CHECK(net::Backoff::base_delay(1000) == std::chrono::seconds(60));
  net::Backoff b;
  for (int i = 1; i <= 12; ++i) {
    const auto d = b.fail();
    const auto base = net::Backoff::base_delay(i);
    CHECK(d >= base * 3 / 4);
    CHECK(d <= base * 5 / 4);
  }
  CHECK(b.failures() == 12);
  b.reset();
  CHECK(b.fail() <= std::chrono::milliseconds(1250));
}

TEST_CASE("the backoff's jitter spreads the delays") {
  // Two devices that failed together must not retry in lockstep: over many
  // draws at one failure count the delays differ and fill the ±25% band.
  std::set<int64_t> seen;
  int64_t low = INT64_MAX, high = 0;
  for (int i = 0; i < 200; ++i) {
    net::Backoff b;
    for (int f = 0; f < 3; ++f) (void)b.fail();
    const int64_t d = b.fail().count();  // the 4th failure: 8 s base
    seen.insert(d);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  CHECK(seen.size() > 150);
  CHECK(low < 6'500);   // near 6 s
  CHECK(high > 9'500);  // near 10 s
}
