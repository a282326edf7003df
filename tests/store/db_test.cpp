// The database's settings, schema and migrations, on real files.
#include "store/db.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "../test_util.h"
#include "store/home.h"
#include "store/journal.h"
#include "store/reader.h"
#include "store_fixtures.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::int_of;
using hearth::test::TempDir;
using hearth::test::text_of;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Sets the process umask for a scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

}  // namespace

TEST_CASE("the store runs WAL, synchronous=FULL, secure_delete and foreign keys") {
  TempDir dir;
  auto db = test::open_db_file(dir.path() + "/hearth.db");
  CHECK(text_of(*db, "PRAGMA journal_mode") == "wal");
  CHECK(int_of(*db, "PRAGMA synchronous") == 2);  // FULL
  CHECK(int_of(*db, "PRAGMA secure_delete") == 1);
  CHECK(int_of(*db, "PRAGMA foreign_keys") == 1);
  {
    Db::RelaxedDurability relaxed(*db);
    CHECK(int_of(*db, "PRAGMA synchronous") == 1);  // NORMAL, for refetchable data only
  }
  CHECK(int_of(*db, "PRAGMA synchronous") == 2);
}

TEST_CASE("every table is STRICT") {
  TempDir dir;
  auto db = test::open_db_file(dir.path() + "/hearth.db");
  auto st = db->prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " ORDER BY name");
  std::vector<std::pair<std::string, std::string>> tables;
  for (;;) {
    auto row = st.step();
    REQUIRE(row.is_ok());
    if (!*row) break;
    tables.emplace_back(std::string(st.text(0)), std::string(st.text(1)));
  }
  CHECK(tables.size() >= 12);
  for (const auto& [name, sql] : tables) {
    CAPTURE(name);
    std::string tail = sql.substr(sql.rfind(')') + 1);
    for (auto& c : tail) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(tail.find("STRICT") != std::string::npos);
    auto strict = db->prepare("SELECT strict FROM pragma_table_list WHERE name = ?");
    strict.bind_text(1, name);
    auto row = strict.step();
    REQUIRE(row.is_ok());
    REQUIRE(*row);
    CHECK(strict.int64(0) == 1);
  }
}

TEST_CASE("user_version is the number of migrations, numbered 1, 2, 3…") {
  auto all = migrations();
  REQUIRE_FALSE(all.empty());
  CHECK(check_migrations(all).is_ok());
  CHECK(all.back().version == static_cast<int>(all.size()));
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  {
    auto db = test::open_db_file(path);
    CHECK(*db->schema_version() == static_cast<int>(all.size()));
  }
  auto again = test::open_db_file(path);  // nothing left to run
  CHECK(*again->schema_version() == static_cast<int>(all.size()));
}

TEST_CASE("a store from a newer Hearth is refused with a clear error and left as it was") {
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  const int newer = static_cast<int>(migrations().size()) + 1;
  {
    auto db = test::open_db_file(path);
    REQUIRE(db->exec(("PRAGMA user_version=" + std::to_string(newer)).c_str()).is_ok());
  }
  auto refused = Db::open(path);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().code() == Code::kRefused);
  CHECK(refused.status().message().find("newer version of Hearth") != std::string::npos);
  CHECK(refused.status().message().find("upgrade Hearth") != std::string::npos);

  // The refusal changed nothing: the store still says the newer version.
  auto raw = Db::open(":memory:");
  REQUIRE(raw.is_ok());
  const std::string attach = "ATTACH DATABASE '" + path + "' AS old";
  REQUIRE((*raw)->exec(attach.c_str()).is_ok());
  CHECK(int_of(**raw, "PRAGMA old.user_version") == newer);
}

TEST_CASE("migrations with a gap or a duplicate number are refused before any runs") {
  const Migration gap[] = {{1, "01-a", "CREATE TABLE a (x INTEGER) STRICT;"},
                           {3, "03-c", "CREATE TABLE c (x INTEGER) STRICT;"}};
  const Migration dup[] = {{1, "01-a", "CREATE TABLE a (x INTEGER) STRICT;"},
                           {1, "01-b", "CREATE TABLE b (x INTEGER) STRICT;"}};
  const Migration late[] = {{2, "02-b", "CREATE TABLE b (x INTEGER) STRICT;"}};
  for (std::span<const Migration> bad :
       {std::span<const Migration>(gap), std::span<const Migration>(dup),
        std::span<const Migration>(late)}) {
    Status st = check_migrations(bad);
    CHECK(st.code() == Code::kInternal);
    CHECK(st.message().find("without gaps or duplicates") != std::string::npos);
  }
  CHECK(check_migrations(std::span<const Migration>(gap).first(1)).is_ok());

  // Db::migrate checks the list before it runs any of it.
  TempDir dir;
  auto db = test::open_db_file(dir.path() + "/hearth.db");
  const int before = *db->schema_version();
  CHECK(db->migrate(gap).code() == Code::kInternal);
  CHECK(*db->schema_version() == before);
  CHECK(int_of(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'a'") == 0);
}

namespace {

// A store with every kind of entry, written through the journal: shared,
// edited, forgotten and private reflections, check-ins of both kinds (one
// shared later, one forgotten), pauses of both partners, a limit and an
// agreement with answers. The partner's entries are signed by `partner`.
void fill_every_kind(Store& store, const crypto::KeyMaterial& partner_keys) {
  int64_t now = 1'700'000'000'000;
  Journal j(store, [&now] { return now += 1000; });
  const model::EntityId kept = test::random_id(), edited = test::random_id(),
                        forgotten = test::random_id(), mine = test::random_id();
  auto put = [&](const model::EntityId& id, const char* text, Visibility v) {
    REQUIRE(j.write(model::ReflectionPut{id, text, {"calm"}, "", {}}, v).is_ok());
  };
  put(kept, "kept", Visibility::kShared);
  put(edited, "first words", Visibility::kShared);
  put(edited, "second words", Visibility::kShared);
  put(forgotten, "gone", Visibility::kShared);
  put(mine, "a draft", Visibility::kPrivate);
  REQUIRE(j.write(model::ReflectionForget{forgotten}, Visibility::kShared).is_ok());
  REQUIRE(j.write(model::CheckIn{test::random_id(), model::Capacity::kRed, {"tired"}, "rest"},
                  Visibility::kShared)
              .is_ok());
  REQUIRE(j.write(model::CheckIn{test::random_id(), model::Capacity::kGreen, {}, ""},
                  Visibility::kPrivate)
              .is_ok());
  (void)partner_keys;
}

}  // namespace

TEST_CASE("migration 4 keeps every view row of a store made at schema 3") {
  TempDir dir;
  const std::string current = dir.path() + "/current.db";
  const std::string old = dir.path() + "/old.db";
  {
    auto s = Store::open(current, crypto::KeyMaterial::generate());
    REQUIRE(s.is_ok());
    fill_every_kind(**s, crypto::KeyMaterial::generate());
  }

  // The same rows in a store as schema 3 laid them out.
  std::string expected;
  {
    auto db = Db::open(old, migrations().first(3));
    REQUIRE(db.is_ok());
    CHECK(*(*db)->schema_version() == 3);
    const std::string attach = "ATTACH DATABASE '" + current + "' AS src";
    REQUIRE((*db)->exec(attach.c_str()).is_ok());
    REQUIRE((*db)
                ->exec("INSERT INTO events SELECT row_id, author, seq, event_id, lamport, header,"
                       " signature, body FROM src.events;"
                       "INSERT INTO private_entries SELECT * FROM src.private_entries;"
                       "INSERT INTO reflections (author, reflection_id, forgotten, shared,"
                       " first_lamport, created_ms, head_lamport, updated_ms, head_source,"
                       " head_row) SELECT author, reflection_id, forgotten, shared,"
                       " first_lamport, created_ms, head_lamport, updated_ms, head_source,"
                       " head_row FROM src.reflections;"
                       "INSERT INTO reflection_versions (source, row, author, reflection_id,"
                       " lamport, wall_ms) SELECT source, row, author, reflection_id, lamport,"
                       " wall_ms FROM src.reflection_versions;"
                       "INSERT INTO check_ins (author, check_in_id, lamport, wall_ms, source, row)"
                       " SELECT author, check_in_id, head_lamport, created_ms, head_source,"
                       " head_row FROM src.check_ins;"
                       "DETACH DATABASE src;")
                .is_ok());
    expected = test::dump_views_v4(**db);
  }
  auto db = Db::open(old, migrations().first(4));  // runs migration 4
  REQUIRE(db.is_ok());
  CHECK(*(*db)->schema_version() == 4);
  CHECK(int_of(**db, "SELECT count(*) FROM reflections") == 4);
  CHECK(int_of(**db, "SELECT count(*) FROM reflection_versions") == 4);  // the forgotten one's went
  CHECK(int_of(**db, "SELECT count(*) FROM check_ins") == 2);
  CHECK(test::dump_views_v4(**db) == expected);
  CHECK(text_of(**db, "PRAGMA integrity_check") == "ok");
  CHECK(int_of(**db,
               "SELECT count(*) FROM pragma_table_list WHERE wr = 1 AND name IN"
               " ('reflections', 'reflection_versions', 'check_ins')") == 3);
}

TEST_CASE("a store made at schema 4 opens at the current schema with its views rebuilt from the log") {
  TempDir dir;
  const std::string path = dir.path() + "/store.db";
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::string expected;
  {
    auto s = Store::open(path, keys.clone());
    REQUIRE(s.is_ok());
    fill_every_kind(**s, crypto::KeyMaterial::generate());
    int64_t now = 1'800'000'000'000;
    Journal j(**s, [&now] { return now += 1000; });
    REQUIRE(j.write(model::Pause{45, "a walk"}, Visibility::kShared).is_ok());
    REQUIRE(j.write(model::BoundaryPropose{test::random_id(), "knock first", "home"},
                    Visibility::kShared)
                .is_ok());
    expected = test::dump_views((*s)->db());
  }
  // Back to schema 4's layout: its pause table and boundary and check-in
  // views, empty, and none of schema 5's tables (the views are derived).
  {
    auto db = test::open_db_file(path);
    // Every table a later migration made or remade goes.
    std::vector<std::string> later;
    {
      auto st = db->prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('devices',"
          " 'log_keys', 'events', 'private_entries', 'reflections', 'reflection_versions',"
          " 'activity', 'peer_addresses', 'config') AND name NOT LIKE 'sqlite_%'");
      for (;;) {
        auto row = st.step();
        REQUIRE(row.is_ok());
        if (!*row) break;
        later.emplace_back(st.text(0));
      }
    }
    for (const auto& name : later) {
      const std::string drop = "DROP TABLE " + name;
      REQUIRE(db->exec(drop.c_str()).is_ok());
    }
    // And every trigger (schema 4 had none).
    std::vector<std::string> triggers;
    {
      auto st = db->prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'");
      for (auto row : st.rows()) {
        REQUIRE(row.is_ok());
        triggers.emplace_back(row->text(0));
      }
    }
    for (const auto& name : triggers) {
      const std::string drop = "DROP TRIGGER " + name;
      REQUIRE(db->exec(drop.c_str()).is_ok());
    }
    REQUIRE(db->exec(
                  "CREATE TABLE pause_state (singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
                  " author BLOB NOT NULL, lamport INTEGER NOT NULL, paused INTEGER NOT NULL,"
                  " started_ms INTEGER NOT NULL, minutes INTEGER NOT NULL, row INTEGER NOT NULL)"
                  " STRICT;"
                  "CREATE TABLE boundary_facts (row INTEGER PRIMARY KEY, boundary_id BLOB NOT NULL,"
                  " kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)), author BLOB NOT NULL,"
                  " lamport INTEGER NOT NULL, wall_ms INTEGER NOT NULL, revision BLOB,"
                  " response INTEGER) STRICT;"
                  "CREATE TABLE boundaries (boundary_id BLOB PRIMARY KEY, status INTEGER NOT NULL,"
                  " first_row INTEGER NOT NULL, latest_row INTEGER NOT NULL, in_force_row INTEGER,"
                  " first_proposer BLOB NOT NULL, created_ms INTEGER NOT NULL,"
                  " updated_ms INTEGER NOT NULL, revisions INTEGER NOT NULL) STRICT;"
                  "CREATE TABLE check_ins (author BLOB NOT NULL, check_in_id BLOB NOT NULL,"
                  " lamport INTEGER NOT NULL, wall_ms INTEGER NOT NULL, source INTEGER NOT NULL,"
                  " row INTEGER NOT NULL, PRIMARY KEY (check_in_id, author)) STRICT, WITHOUT ROWID;"
                  "ALTER TABLE events DROP COLUMN signature_checked;"
                  "PRAGMA user_version = 4;")
                .is_ok());
  }
  auto s = Store::open(path, keys.clone());
  const std::string why = s.is_ok() ? std::string() : s.status().to_string();
  INFO(why);
  REQUIRE(s.is_ok());
  CHECK(*(*s)->db().schema_version() == static_cast<int>(migrations().size()));
  CHECK(test::dump_views((*s)->db()) == expected);
  CHECK(int_of((*s)->db(), "SELECT count(*) FROM store_flags") == 0);
  CHECK(int_of((*s)->db(), "SELECT count(*) FROM boundaries WHERE kind = 0") == 1);
}

TEST_CASE("the database and its WAL files are created 0600 whatever the umask") {
  ScopedUmask loose(022);
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  auto db = test::open_db_file(path);
  REQUIRE(db->exec("INSERT INTO config (key, value) VALUES ('k', 'v')").is_ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    CAPTURE(suffix);
    CHECK(mode_of(path + suffix) == 0600);
  }
}

TEST_CASE("an existing database readable by others is made private when opened") {
  ScopedUmask loose(022);
  TempDir dir;
  const std::string path = dir.path() + "/hearth.db";
  test::open_db_file(path).reset();
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto db = test::open_db_file(path);
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("a new home holds only private files whatever the umask") {
  ScopedUmask loose(022);
  TempDir dir;
  HomePaths paths{dir.path() + "/home"};
  REQUIRE(init_home(paths, InitOptions{"Sam", nullptr}).is_ok());
  CHECK(mode_of(paths.home) == 0700);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(paths.home)) {
    CAPTURE(entry.path().string());
    CHECK(mode_of(entry.path().string()) == 0600);
    ++files;
  }
  CHECK(files >= 2);  // keys and hearth.db
}

namespace {
// The kept counts (schema 10), and the same counted row by row.
std::string kept_counts(Db& db) {
  return text_of(db, "SELECT group_concat(n, ' ') FROM (SELECT n FROM view_counts ORDER BY kind)");
}
std::string counted(Db& db) {
  return text_of(db,
                 "SELECT (SELECT count(*) FROM reflections WHERE forgotten = 0) || ' ' ||"
                 " (SELECT count(*) FROM boundaries) || ' ' ||"
                 " (SELECT count(*) FROM check_ins WHERE forgotten = 0)");
}
}  // namespace

TEST_CASE("the counts kept for status equal the views' rows through writes, a rebuild and migration 10") {
  TempDir dir;
  const std::string path = dir.path() + "/store.db";
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  {
    auto s = Store::open(path, keys.clone());
    REQUIRE(s.is_ok());
    CHECK(kept_counts((*s)->db()) == "0 0 0");
    fill_every_kind(**s, crypto::KeyMaterial::generate());
    int64_t now = 1'800'000'000'000;
    Journal j(**s, [&now] { return now += 1000; });
    const model::EntityId b = test::random_id();
    REQUIRE(j.write(model::BoundaryPropose{b, "knock first", "home"}, Visibility::kShared).is_ok());
    REQUIRE(j.write(model::BoundaryPropose{b, "knock twice", "home"}, Visibility::kShared).is_ok());
    CHECK(counted((*s)->db()) == "3 1 2");
    CHECK(kept_counts((*s)->db()) == counted((*s)->db()));
    REQUIRE((*s)->rebuild_views().is_ok());
    CHECK(kept_counts((*s)->db()) == "3 1 2");
    auto c = Reader(**s).counts();
    REQUIRE(c.is_ok());
    CHECK(c->reflections == 3);
    CHECK(c->boundaries == 1);
    CHECK(c->check_ins == 2);
  }
  // Back to schema 9 (the drafts): no counts kept. Opening runs migration 10.
  {
    auto db = test::open_db_file(path);
    std::vector<std::string> triggers;
    {
      auto st = db->prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'");
      for (auto row : st.rows()) {
        REQUIRE(row.is_ok());
        triggers.emplace_back(row->text(0));
      }
    }
    CHECK(triggers.size() == 8);
    for (const auto& name : triggers) {
      const std::string drop = "DROP TRIGGER " + name;
      REQUIRE(db->exec(drop.c_str()).is_ok());
    }
    REQUIRE(db->exec("DROP TABLE view_counts; PRAGMA user_version = 9;").is_ok());
  }
  auto s = Store::open(path, keys.clone());
  REQUIRE(s.is_ok());
  CHECK(*(*s)->db().schema_version() == static_cast<int>(migrations().size()));
  CHECK(kept_counts((*s)->db()) == "3 1 2");
}
