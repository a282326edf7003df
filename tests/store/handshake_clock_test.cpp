// Session handshake timestamps (store/handshake_clock.h).
#include "store/handshake_clock.h"

#include <doctest/doctest.h>

#include "../test_util.h"
#include "store_fixtures.h"

using namespace hearth;
using hearth::test::TempDir;

namespace {
const Key32 kPeer{7};
const Key32 kOther{8};
}  // namespace

TEST_CASE("a dialer never sends one handshake timestamp twice, even when its clock goes back") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  {
    auto db = test::open_db_file(path);
    store::HandshakeClock clock(*db);
    CHECK(clock.next_to_send(kPeer, 1000).value() == 1000);
    CHECK(clock.next_to_send(kPeer, 1000).value() == 1001);  // the same millisecond
    CHECK(clock.next_to_send(kPeer, 500).value() == 1002);   // the clock set back
    CHECK(clock.next_to_send(kOther, 10).value() == 10);     // each listener its own
    CHECK(clock.next_to_send(kPeer, 5000).value() == 5000);
  }
  auto db = test::open_db_file(path);  // and after a restart
  CHECK(store::HandshakeClock(*db).next_to_send(kPeer, 4000).value() == 5001);
}

TEST_CASE("a listener accepts each handshake timestamp once, only if newer, across restarts") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  {
    auto db = test::open_db_file(path);
    store::HandshakeClock clock(*db);
    CHECK(clock.last_accepted(kPeer).value() == 0);
    CHECK(clock.accept(kPeer, 2000).is_ok());
    CHECK(clock.accept(kPeer, 2000).code() == Code::kRefused);
    CHECK(clock.accept(kPeer, 1999).code() == Code::kRefused);
    CHECK(clock.accept(kOther, 5).is_ok());
    CHECK(clock.accept(kPeer, 0).code() == Code::kRefused);
    CHECK(clock.accept(kPeer, uint64_t{1} << 63).code() == Code::kRefused);
    CHECK(clock.last_accepted(kPeer).value() == 2000);
  }
  auto db = test::open_db_file(path);
  store::HandshakeClock clock(*db);
  CHECK(clock.accept(kPeer, 2000).code() == Code::kRefused);
  CHECK(clock.accept(kPeer, 2001).is_ok());
}
