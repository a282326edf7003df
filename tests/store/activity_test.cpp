// The activity log at rest (store/activity.h).
#include "store/activity.h"

#include <doctest/doctest.h>

#include "../test_util.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"
#include "store_fixtures.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::int_of;
using hearth::test::memory_store;
using hearth::test::TempDir;

namespace {

std::vector<std::string> messages(Activity& log) {
  auto entries = log.newest(0);
  REQUIRE(entries.is_ok());
  std::vector<std::string> out;
  for (const auto& e : *entries) out.push_back(e.message);
  return out;
}

}  // namespace

TEST_CASE("refused connections never push the other entries out of the log") {
  auto s = memory_store();
  Activity& log = s->activity();
  for (int i = 0; i < 5; ++i)
    REQUIRE(log.append("info", "connected " + std::to_string(i), i).is_ok());
  for (int i = 0; i < Activity::kMaxRefusals + 500; ++i)
    REQUIRE(log.append("warn", "refused " + std::to_string(i), 100 + i, ActivityBucket::kRefusals)
                .is_ok());
  const auto all = messages(log);
  CHECK(all.size() == static_cast<size_t>(5 + Activity::kMaxRefusals));
  for (int i = 0; i < 5; ++i)
    CHECK(std::find(all.begin(), all.end(), "connected " + std::to_string(i)) != all.end());
  CHECK(all.front() == "refused " + std::to_string(Activity::kMaxRefusals + 499));
  CHECK(std::find(all.begin(), all.end(), "refused 499") == all.end());
  // The other bucket keeps its own newest entries.
  for (int i = 0; i < Activity::kMaxEntries; ++i)
    REQUIRE(log.append("info", "more", 10'000 + i).is_ok());
  CHECK(int_of(s->db(), "SELECT count(*) FROM activity_log WHERE bucket = 0") ==
        Activity::kMaxEntries);
  CHECK(int_of(s->db(), "SELECT count(*) FROM activity_log WHERE bucket = 1") ==
        Activity::kMaxRefusals);
}

TEST_CASE("an activity entry is sealed: no time, level, address or text in the table") {
  auto s = memory_store();
  Activity& log = s->activity();
  REQUIRE(log.append("warn", "connected to your partner's device at 192.0.2.44:7420", 1234567,
                     ActivityBucket::kGeneral, "192.0.2.44:7420")
              .is_ok());
  REQUIRE(log.append("info", "second", 7654321).is_ok());
  CHECK(int_of(s->db(),
               "SELECT count(*) FROM activity_log WHERE instr(sealed, '192.0.2') > 0 OR"
               " instr(sealed, 'partner') > 0") == 0);
  auto entries = log.newest(0);
  REQUIRE(entries.is_ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[1] ==
        ActivityEntry{1234567, "warn", "connected to your partner's device at 192.0.2.44:7420"});
  // Each entry is bound to its place: swapped rows do not open, and the
  // list says so instead of failing.
  REQUIRE(s->db()
              .exec("UPDATE activity_log SET id = 10 WHERE id = 1; UPDATE activity_log SET id = 1"
                    " WHERE id = 2; UPDATE activity_log SET id = 2 WHERE id = 10")
              .is_ok());
  entries = log.newest(0);
  REQUIRE(entries.is_ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0].level == "error");
  CHECK((*entries)[0].message.find("does not open") != std::string::npos);
}

TEST_CASE("unpairing forgets every address of the former partner the log names") {
  auto s = memory_store();
  const Key32 partner = crypto::DeviceIdentity::generate().public_key();
  REQUIRE(pair_partner(*s, NewPartner{partner, "Alex", "192.0.2.1:7420", "manual"}, 1)
              .is_ok());
  Activity& log = s->activity();
  REQUIRE(
      log.append("info", "added the address 192.0.2.1:7420 for your partner's device", 2).is_ok());
  REQUIRE(
      log.append("info",
                 "connected to your partner's device at 198.51.100.7:51234 (it dialed this device)",
                 3, ActivityBucket::kGeneral, "198.51.100.7:51234")
          .is_ok());
  REQUIRE(
      log.append("info", "found your partner's device at 198.51.100.7:7420 on the local network", 4)
          .is_ok());
  REQUIRE(log.append("warn", "refused a connection from an unknown device AAAAAAA at 192.0.2.12", 5,
                     ActivityBucket::kRefusals)
              .is_ok());
  REQUIRE(unpair(*s, false).is_ok());
  const auto after = messages(log);
  for (const auto& m : after) {
    CAPTURE(m);
    CHECK(m.find("192.0.2.1:") == std::string::npos);
    CHECK(m.find("198.51.100.7") == std::string::npos);
  }
  CHECK(std::find(after.begin(), after.end(),
                  "connected to your partner's device at (a former partner's address) (it dialed "
                  "this device)") != after.end());
  CHECK(std::find(after.begin(), after.end(),
                  "found your partner's device at (a former partner's address) on the local "
                  "network") != after.end());
  // Another address that only starts alike stays.
  CHECK(std::find(after.begin(), after.end(),
                  "refused a connection from an unknown device AAAAAAA at 192.0.2.12") !=
        after.end());
}

TEST_CASE("a store older than schema 6 seals its plaintext activity when it opens") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  const std::string secret_text = "connected to the device at 203.0.113.99:7420";
  {
    auto db = Db::open(path, migrations().first(5));
    REQUIRE(db.is_ok());
    REQUIRE((*db)
                ->exec(("INSERT INTO activity (at_ms, level, message) VALUES (5, 'info', '" +
                        secret_text + "'), (6, 'warn', 'refused a connection from x at y')")
                           .c_str())
                .is_ok());
  }
  REQUIRE_FALSE(test::files_holding(dir.path(), as_bytes(secret_text)).empty());
  auto keys = crypto::KeyMaterial::generate();
  auto s = Store::open(path, keys.clone());
  REQUIRE(s.is_ok());
  Activity& log = (*s)->activity();
  auto entries = log.newest(0);
  REQUIRE(entries.is_ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[1] == ActivityEntry{5, "info", secret_text});
  CHECK(int_of((*s)->db(), "SELECT count(*) FROM sqlite_schema WHERE name = 'activity'") == 0);
  CHECK(int_of((*s)->db(), "SELECT bucket FROM activity_log WHERE id = 2") == 1);
  CHECK(test::files_holding(dir.path(), as_bytes(secret_text)).empty());
}
