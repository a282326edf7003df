// Checkpoints on a thread of their own, over a second connection.
#include "store/checkpointer.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../test_util.h"
#include "store_fixtures.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::int_of;
using hearth::test::TempDir;
using hearth::test::text_of;

namespace {

constexpr int64_t kMiB = 1 << 20;
constexpr uint64_t kMiBFrames = kMiB / 16384;  // the store's pages are 16 KiB

// Commits `count` rows of 3 KiB, `per_commit` at a time.
void write_rows(Db& db, int count, int per_commit) {
  REQUIRE(db.exec("CREATE TABLE IF NOT EXISTS filler (n INTEGER, b BLOB) STRICT").is_ok());
  for (int done = 0; done < count;) {
    auto tx = db.begin();
    REQUIRE(tx.is_ok());
    for (int i = 0; i < per_commit && done < count; ++i, ++done) {
      auto st = db.prepare("INSERT INTO filler (n, b) VALUES (?, randomblob(3072))");
      st.bind(1, int64_t{done});
      REQUIRE(st.run().is_ok());
    }
    REQUIRE(tx->commit().is_ok());
  }
}

}  // namespace

TEST_CASE("the thread checkpoints once the WAL passes its limit, and the writer never does") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  auto db = test::open_db_file(path);
  auto cp = Checkpointer::start(*db, path, {.background = kMiB, .foreground = 1024 * kMiB});
  REQUIRE(cp.is_ok());
  write_rows(*db, 50, 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK((*cp)->counts().background_runs == 0);  // below the limit: nothing to do yet
  write_rows(*db, 400, 10);
  for (int i = 0; i < 500 && (*cp)->counts().background_frames < kMiBFrames; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const Checkpointer::Counts c = (*cp)->counts();
  CHECK(c.background_runs > 0);
  CHECK(c.background_frames >= kMiBFrames);  // it copied pages back, on its own connection
  CHECK(c.foreground_runs == 0);
  CHECK(int_of(*db, "SELECT count(*) FROM filler") == 450);
}

TEST_CASE("a writer that outruns the thread checkpoints itself") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  auto db = test::open_db_file(path);
  // The thread is never asked: only the writer can keep the WAL bounded.
  auto cp = Checkpointer::start(*db, path, {.background = 1024 * kMiB, .foreground = kMiB});
  REQUIRE(cp.is_ok());
  write_rows(*db, 300, 10);
  const Checkpointer::Counts c = (*cp)->counts();
  CHECK(c.foreground_runs > 0);
  CHECK(c.foreground_frames >= kMiBFrames);
  CHECK(c.background_runs == 0);
}

TEST_CASE("SQLite's own checkpoints are off while a checkpointer runs, and back after it") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  auto db = test::open_db_file(path);
  CHECK(int_of(*db, "PRAGMA wal_autocheckpoint") == 4000);
  {
    auto cp = Checkpointer::start(*db, path);
    REQUIRE(cp.is_ok());
    CHECK(int_of(*db, "PRAGMA wal_autocheckpoint") == 0);  // SQLite reads 0 for another hook
  }
  CHECK(int_of(*db, "PRAGMA wal_autocheckpoint") == 4000);
}

TEST_CASE("a file store checkpoints on its own thread; an in-memory one has none") {
  TempDir dir;
  auto file = Store::open(dir.path() + "/hearth.db", crypto::KeyMaterial::generate());
  REQUIRE(file.is_ok());
  CHECK((*file)->checkpointer() != nullptr);
  auto memory = Store::open(":memory:", crypto::KeyMaterial::generate());
  REQUIRE(memory.is_ok());
  CHECK((*memory)->checkpointer() == nullptr);
}

TEST_CASE("rows written while the thread checkpoints are all there after reopening") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  {
    auto db = test::open_db_file(path);
    auto cp = Checkpointer::start(*db, path, {.background = kMiB / 4, .foreground = 4 * kMiB});
    REQUIRE(cp.is_ok());
    write_rows(*db, 2000, 7);
  }
  auto db = test::open_db_file(path);
  CHECK(int_of(*db, "SELECT count(*) FROM filler") == 2000);
  CHECK(text_of(*db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a scrub empties the WAL while the thread checkpoints beside it") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  auto db = test::open_db_file(path);
  // A low limit: the thread checkpoints after nearly every commit.
  auto cp = Checkpointer::start(*db, path, {.background = 64 << 10, .foreground = 1024 * kMiB});
  REQUIRE(cp.is_ok());
  for (int round = 0; round < 20; ++round) {
    write_rows(*db, 20, 2);
    auto tx = db->begin();
    REQUIRE(tx.is_ok());
    REQUIRE(db->exec("DELETE FROM filler WHERE n % 2 = 0").is_ok());
    db->scrub_after_commit();
    REQUIRE(tx->commit().is_ok());  // scrubs, waiting out the thread's checkpoint if one runs
    CHECK(std::filesystem::file_size(path + "-wal") == 0);
  }
  CHECK((*cp)->counts().background_runs > 0);
  CHECK(text_of(*db, "PRAGMA integrity_check") == "ok");
}
