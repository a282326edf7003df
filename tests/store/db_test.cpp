// The database's settings, schema and migrations, on real files.
#include "store/db.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "../sync/accept.h"
#include "../test_util.h"
#include "store/home.h"
#include "store/journal.h"
#include "store/partnership.h"
#include "store/reader.h"
#include "store_fixtures.h"
#include "wire/event_codec.h"

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

// The store at `path`, migrated up to `version` and no further.
std::unique_ptr<Db> open_at_schema(const std::string& path, int version) {
  auto db = Db::open(path, migrations().first(static_cast<size_t>(version)));
  REQUIRE(db.is_ok());
  return std::move(db).value();
}

// A copy of `current` (a file store at the current schema) at `path`, as
// schema 10 laid it out: made by migrations 1 to 10, with authors as their
// keys, headers whole and each event's ID stored. For the tests of the
// migrations from there and before.
void copy_at_schema_10(Store& current, const std::string& current_path, const std::string& path) {
  auto opened = Db::open(path, migrations().first(10));
  REQUIRE(opened.is_ok());
  Db& db = **opened;
  REQUIRE(*db.schema_version() == 10);
  // The events, through EventLog: the signed headers and their IDs.
  auto rows = current.db().prepare("SELECT row_id FROM events ORDER BY row_id").all_int64();
  REQUIRE(rows.is_ok());
  for (int64_t row : *rows) {
    auto e = current.events().read_row(row);
    REQUIRE(e.is_ok());
    auto h = wire::decode_header(e->header);
    REQUIRE(h.is_ok());
    auto st = db.prepare(
        "INSERT INTO events (row_id, author, seq, event_id, lamport, header, signature, body,"
        " signature_checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, e->row).bind(2, h->author).bind(3, static_cast<int64_t>(e->seq));
    st.bind(4, wire::event_id(e->header)).bind(5, static_cast<int64_t>(h->lamport));
    st.bind(6, e->header).bind(7, e->signature);
    if (e->body) {
      st.bind(8, *e->body);
    } else {
      st.bind_null(8);
    }
    st.bind(9, e->signature_checked ? 1 : 0);
    REQUIRE(st.run().is_ok());
  }
  const std::string attach = "ATTACH DATABASE '" + current_path + "' AS src";
  REQUIRE(db.exec(attach.c_str()).is_ok());
  // Every other table: those schema 11 left alone as they are, the rest
  // with each author's key for its number.
  const Status copied = db.exec(
      "DELETE FROM store_flags;"
      "INSERT INTO devices SELECT * FROM src.devices;"
      "INSERT INTO log_keys SELECT * FROM src.log_keys;"
      "INSERT INTO private_entries SELECT * FROM src.private_entries;"
      "INSERT INTO pause_arrivals SELECT * FROM src.pause_arrivals;"
      "INSERT INTO held_rows SELECT * FROM src.held_rows;"
      "INSERT INTO answer_keys SELECT * FROM src.answer_keys;"
      "INSERT INTO handshake_clock SELECT * FROM src.handshake_clock;"
      "INSERT INTO activity_log SELECT * FROM src.activity_log;"
      "INSERT INTO peer_addresses SELECT * FROM src.peer_addresses;"
      "INSERT INTO config SELECT * FROM src.config;"
      "INSERT INTO drafts SELECT * FROM src.drafts;"
      "INSERT INTO reflections SELECT a.key, r.reflection_id, r.forgotten, r.shared,"
      " r.first_lamport, r.created_ms, r.head_lamport, r.updated_ms, r.head_source, r.head_row"
      " FROM src.reflections r JOIN src.authors a ON a.id = r.author;"
      "INSERT INTO reflection_versions SELECT a.key, v.reflection_id, v.lamport, v.source,"
      " v.row, v.wall_ms FROM src.reflection_versions v JOIN src.authors a ON a.id = v.author;"
      "INSERT INTO check_ins SELECT a.key, c.check_in_id, c.forgotten, c.first_lamport,"
      " c.created_ms, c.head_lamport, c.head_ms, c.head_source, c.head_row"
      " FROM src.check_ins c JOIN src.authors a ON a.id = c.author;"
      "INSERT INTO check_in_copies SELECT a.key, c.check_in_id, c.source, c.row"
      " FROM src.check_in_copies c JOIN src.authors a ON a.id = c.author;"
      "INSERT INTO pauses SELECT a.key, p.lamport, p.paused, p.started_ms, p.minutes, p.row"
      " FROM src.pauses p JOIN src.authors a ON a.id = p.author;"
      "INSERT INTO boundary_facts SELECT f.row, f.boundary_id, f.kind, a.key, f.lamport,"
      " f.wall_ms, f.revision, f.response, f.boundary_kind, f.ask_again_after"
      " FROM src.boundary_facts f JOIN src.authors a ON a.id = f.author;"
      "INSERT INTO boundaries SELECT b.boundary_id, b.kind, b.status, b.first_row, b.latest_row,"
      " b.in_force_row, a.key, b.created_ms, b.updated_ms, b.revisions, b.acknowledged"
      " FROM src.boundaries b JOIN src.authors a ON a.id = b.first_proposer;"
      "INSERT INTO prompt_facts SELECT f.row, f.kind, f.prompt_id, f.round, f.answer_id, a.key,"
      " f.lamport, f.wall_ms FROM src.prompt_facts f JOIN src.authors a ON a.id = f.author;"
      "INSERT INTO need_replies SELECT r.row, r.check_in_id, r.reply_id, a.key, r.lamport,"
      " r.wall_ms FROM src.need_replies r JOIN src.authors a ON a.id = r.author;"
      "INSERT INTO practice_facts SELECT f.row, f.kind, f.session_id, f.practice, f.stage,"
      " f.capacity, a.key, f.lamport, f.wall_ms"
      " FROM src.practice_facts f JOIN src.authors a ON a.id = f.author;"
      "INSERT INTO archived SELECT x.kind, a.key, x.entity_id, x.at_ms"
      " FROM src.archived x JOIN src.authors a ON a.id = x.author;"
      "DELETE FROM view_counts; INSERT INTO view_counts SELECT * FROM src.view_counts;"
      "DETACH DATABASE src;");
  INFO(copied.to_string());
  REQUIRE(copied.is_ok());
}

}  // namespace

TEST_CASE("migration 4 keeps every view row of a store made at schema 3") {
  TempDir dir;
  const std::string current = dir.path() + "/current.db";
  const std::string ten = dir.path() + "/ten.db";
  const std::string old = dir.path() + "/old.db";
  {
    auto s = Store::open(current, crypto::KeyMaterial::generate());
    REQUIRE(s.is_ok());
    fill_every_kind(**s, crypto::KeyMaterial::generate());
    copy_at_schema_10(**s, current, ten);
  }

  // The same rows in a store as schema 3 laid them out.
  std::string expected;
  {
    auto db = Db::open(old, migrations().first(3));
    REQUIRE(db.is_ok());
    CHECK(*(*db)->schema_version() == 3);
    const std::string attach = "ATTACH DATABASE '" + ten + "' AS src";
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
  const std::string current = dir.path() + "/current.db";
  const std::string path = dir.path() + "/store.db";
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::string expected;
  {
    auto s = Store::open(current, keys.clone());
    REQUIRE(s.is_ok());
    fill_every_kind(**s, crypto::KeyMaterial::generate());
    int64_t now = 1'800'000'000'000;
    Journal j(**s, [&now] { return now += 1000; });
    REQUIRE(j.write(model::Pause{45, "a walk"}, Visibility::kShared).is_ok());
    REQUIRE(j.write(model::BoundaryPropose{test::random_id(), "knock first", "home"},
                    Visibility::kShared)
                .is_ok());
    expected = test::dump_views((*s)->db());
    copy_at_schema_10(**s, current, path);
  }
  // Back to schema 4's layout: its pause table and boundary and check-in
  // views, empty, and none of schema 5's tables (the views are derived).
  {
    auto db = open_at_schema(path, 10);
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
  const std::string current = dir.path() + "/current.db";
  const std::string path = dir.path() + "/store.db";
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  {
    auto s = Store::open(current, keys.clone());
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
    copy_at_schema_10(**s, current, path);
  }
  // Back to schema 9 (the drafts): no counts kept. Opening runs migration 10.
  {
    auto db = open_at_schema(path, 10);
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

namespace {

// What a store shows through its classes, as text: every reflection (with
// its history, archived ones too), boundary, check-in (with replies) and
// pause, each author's log head, and the prompt asked and passed.
std::string shown(Store& store, const Key32& partner) {
  std::string out;
  auto hex_of = [](ByteView b) { return to_hex(b); };
  Reader reader(store);
  for (bool archived : {false, true}) {
    auto rs = reader.reflections(0, true, archived);
    REQUIRE(rs.is_ok());
    for (const auto& r : *rs) {
      out += "reflection " + hex_of(r.key.author) + " " + hex_of(r.key.id) + " " + r.current.text +
             " seq " + std::to_string(r.head_seq) + " archived " + std::to_string(r.archived) +
             " versions " + std::to_string(r.history.size()) + "\n";
      for (const auto& v : r.history) out += "  " + v.put.text + "\n";
    }
  }
  auto bs = reader.boundaries(0, true);
  REQUIRE(bs.is_ok());
  for (const auto& b : *bs) {
    out += "boundary " + hex_of(b.id) + " by " + hex_of(b.view.owner) + " revisions " +
           std::to_string(b.revisions.size()) + " responses " +
           std::to_string(b.facts.responses.size()) + "\n";
  }
  for (bool archived : {false, true}) {
    auto cs = reader.check_ins(0, archived);
    REQUIRE(cs.is_ok());
    for (const auto& c : *cs) {
      out += "check-in " + hex_of(c.author) + " " + c.words.need + " replies";
      for (const auto& r : c.replies) out += " " + hex_of(r.author) + ":" + r.text;
      out += "\n";
    }
  }
  for (const Key32& who : {store.keys().self(), partner}) {
    auto p = reader.pause(who);
    REQUIRE(p.is_ok());
    out += "pause " + hex_of(who) + " " + std::to_string(p->view.paused) + " " + p->note + "\n";
    auto head = store.events().head(who);
    REQUIRE(head.is_ok());
    out += "head " + std::to_string(head->seq) + " " + hex_of(head->id) + " " +
           std::to_string(head->lamport) + "\n";
    auto id = store.events().id_at(who, 1);
    REQUIRE(id.is_ok());
    REQUIRE(id->has_value());
    out += "first " + hex_of(**id) + "\n";
  }
  auto lamport = store.events().max_lamport();
  REQUIRE(lamport.is_ok());
  out += "max lamport " + std::to_string(*lamport) + "\n";
  auto counts = reader.counts();
  REQUIRE(counts.is_ok());
  out += "counts " + std::to_string(counts->reflections) + " " +
         std::to_string(counts->boundaries) + " " + std::to_string(counts->check_ins) + "\n";
  return out;
}

// The rows of the tables dump_views leaves out, authors as their keys.
std::string dump_other_views(Db& db) {
  return test::dump_rows(
      db, {"SELECT (SELECT hex(key) FROM authors WHERE id = author) || ' ' || kind || ' ' ||"
           " prompt_id || ' ' || hex(round) || ' ' || lamport FROM prompt_facts ORDER BY 1",
           "SELECT (SELECT hex(key) FROM authors WHERE id = author) || ' ' || hex(check_in_id)"
           " || ' ' || lamport FROM need_replies ORDER BY 1",
           "SELECT (SELECT hex(key) FROM authors WHERE id = author) || ' ' || kind || ' ' ||"
           " hex(session_id) || ' ' || lamport FROM practice_facts ORDER BY 1",
           "SELECT (SELECT hex(key) FROM authors WHERE id = author) || ' ' || kind || ' ' ||"
           " hex(entity_id) || ' ' || at_ms FROM archived ORDER BY 1",
           "SELECT group_concat(n, ' ') FROM (SELECT n FROM view_counts ORDER BY kind)"});
}

}  // namespace

TEST_CASE("migration 11 numbers the authors, drops the event IDs, and the store reads the same") {
  TempDir dir;
  const std::string current = dir.path() + "/current.db";
  const std::string path = dir.path() + "/store.db";
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  crypto::KeyMaterial partner_keys = crypto::KeyMaterial::generate();
  const Key32 partner = partner_keys.identity.public_key();
  std::string expected_views, expected_other, expected_shown;
  std::vector<Bytes> expected_headers;
  int64_t events = 0;
  {
    auto opened = Store::open(current, keys.clone());
    REQUIRE(opened.is_ok());
    Store& s = **opened;
    auto theirs = Store::open(dir.path() + "/partner.db", partner_keys.clone());
    REQUIRE(theirs.is_ok());
    Store& p = **theirs;
    REQUIRE(pair_partner(s, NewPartner{partner, "Alex", "", "manual"}, 1).is_ok());
    REQUIRE(
        pair_partner(p, NewPartner{keys.identity.public_key(), "Sam", "", "manual"}, 1).is_ok());
    REQUIRE(s.keys().store_log_key(s.db(), partner, 1, partner_keys.log_key).is_ok());

    fill_every_kind(s, partner_keys);
    int64_t now = 1'800'000'000'000;
    Journal mine(s, [&now] { return now += 1000; });
    const model::EntityId boundary = test::random_id(), check_in = test::random_id(),
                          session = test::random_id();
    auto proposed =
        mine.write(model::BoundaryPropose{boundary, "knock first", "home"}, Visibility::kShared);
    REQUIRE(proposed.is_ok());
    REQUIRE(mine.write(model::CheckIn{check_in, model::Capacity::kYellow, {}, "a hug"},
                       Visibility::kShared)
                .is_ok());
    REQUIRE(mine.write(model::Pause{30, "a walk"}, Visibility::kShared).is_ok());
    REQUIRE(mine.write(model::PracticeInvite{session, "breathe"}, Visibility::kShared).is_ok());
    REQUIRE(mine.write(model::PromptAsk{"ask-0123456789abcdef", "what made you laugh?"},
                       Visibility::kShared)
                .is_ok());

    // The partner's side: written there, received here.
    Journal yours(p, [&now] { return now += 1000; });
    const model::EntityId theirs_id = test::random_id();
    REQUIRE(
        yours.write(model::ReflectionPut{theirs_id, "their words", {}, "", {}}, Visibility::kShared)
            .is_ok());
    REQUIRE(yours
                .write(model::CheckIn{test::random_id(), model::Capacity::kGreen, {}, ""},
                       Visibility::kShared)
                .is_ok());
    REQUIRE(yours.write(model::NeedReply{check_in, test::random_id(), "here"}, Visibility::kShared)
                .is_ok());
    REQUIRE(yours
                .write(model::BoundaryRespond{boundary, proposed->event_id, model::Response::kAgree,
                                              "yes"},
                       Visibility::kShared)
                .is_ok());
    REQUIRE(yours.write(model::Pause{25, "tea"}, Visibility::kShared).is_ok());
    REQUIRE(yours.write(model::PracticeJoin{session, now}, Visibility::kShared).is_ok());
    REQUIRE(
        yours.write(model::PromptPass{"ask-0123456789abcdef", {}}, Visibility::kShared).is_ok());
    auto theirs_log = p.events().read_after(partner, 0, 100, 64 << 20);
    REQUIRE(theirs_log.is_ok());
    std::vector<wire::WireEvent> batch;
    for (auto& e : *theirs_log)
      batch.push_back({e.header, e.signature, e.body ? *e.body : Bytes{}});
    REQUIRE(test::accept(s, partner, batch).is_ok());
    // And one event whose header has a field this version does not know,
    // the author's key not where a header of this version holds it.
    {
      auto last = wire::decode_header(theirs_log->back().header);
      REQUIRE(last.is_ok());
      wire::SealedEvent next = wire::seal_event(
          partner_keys.identity, partner_keys.log_key, last->seq + 1,
          wire::event_id(theirs_log->back().header), last->lamport + 1, now += 1000,
          model::ReflectionPut{test::random_id(), "from a later version", {}, "", {}});
      const Bytes extended = test::header_with_a_new_field(next.header, {9, 9, 9, 9, 9, 9, 9, 9});
      const auto signature = wire::sign_event_header(partner_keys.identity, extended);
      REQUIRE(test::accept(s, partner,
                           {wire::WireEvent{extended, Bytes(signature.begin(), signature.end()),
                                            next.body}})
                  .is_ok());
    }
    REQUIRE(s.archive().set(ArchiveKind::kReflection, partner, theirs_id, true, now).is_ok());
    for (const Key32& author : {keys.identity.public_key(), partner}) {
      auto log = s.events().read_after(author, 0, 1000, 64 << 20);
      REQUIRE(log.is_ok());
      for (const auto& e : *log) expected_headers.push_back(e.header);
    }

    expected_views = test::dump_views(s.db());
    expected_other = dump_other_views(s.db());
    expected_shown = shown(s, partner);
    events = int_of(s.db(), "SELECT count(*) FROM events");
    copy_at_schema_10(s, current, path);
  }
  // The copy holds every row, as schema 10 laid it out.
  {
    auto db = open_at_schema(path, 10);
    CHECK(int_of(*db, "SELECT count(*) FROM events") == events);
    CHECK(events > 15);
    CHECK(int_of(*db, "SELECT count(DISTINCT author) FROM events") == 2);
    CHECK(int_of(*db, "SELECT count(*) FROM archived") == 1);
    CHECK(int_of(*db, "SELECT count(*) FROM need_replies") == 1);
    CHECK(int_of(*db, "SELECT count(*) FROM practice_facts") == 2);
    CHECK(int_of(*db, "SELECT count(*) FROM prompt_facts") == 2);
    CHECK(int_of(*db, "SELECT count(*) FROM pauses") == 2);
    CHECK(int_of(*db, "SELECT count(*) FROM store_flags") == 0);
  }
  auto opened = Store::open(path, keys.clone());  // runs migration 11
  const std::string why = opened.is_ok() ? std::string() : opened.status().to_string();
  INFO(why);
  REQUIRE(opened.is_ok());
  Store& s = **opened;
  CHECK(*s.db().schema_version() == 11);
  CHECK(text_of(s.db(), "PRAGMA integrity_check") == "ok");
  // The self first, then the partner; nothing else names an author.
  CHECK(text_of(s.db(),
                "SELECT group_concat(lower(hex(key)), ' ') FROM (SELECT key FROM authors"
                " ORDER BY id)") == to_hex(keys.identity.public_key()) + " " + to_hex(partner));
  CHECK(int_of(s.db(),
               "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'event_id'") == 0);
  // Every header as signed, the one of a later version kept whole.
  CHECK(int_of(s.db(), "SELECT count(*) FROM events WHERE header_whole = 1") == 1);
  {
    std::vector<Bytes> headers;
    for (const Key32& author : {keys.identity.public_key(), partner}) {
      auto log = s.events().read_after(author, 0, 1000, 64 << 20);
      REQUIRE(log.is_ok());
      for (const auto& e : *log) {
        CHECK(wire::verify_event_signature(author, e.header, e.signature));
        headers.push_back(e.header);
      }
    }
    CHECK(headers == expected_headers);
  }
  CHECK(int_of(s.db(), "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 8);
  CHECK(test::dump_views(s.db()) == expected_views);
  CHECK(dump_other_views(s.db()) == expected_other);
  CHECK(shown(s, partner) == expected_shown);
  // And it goes on: a write continues the chain, and the views rebuild alike.
  Journal j(s, [] { return int64_t{1'900'000'000'000}; });
  REQUIRE(j.write(model::ReflectionPut{test::random_id(), "after", {}, "", {}}, Visibility::kShared)
              .is_ok());
  auto log = s.events().read_after(keys.identity.public_key(), 0, 1000, 64 << 20);
  REQUIRE(log.is_ok());
  Hash32 prev{};
  for (const auto& e : *log) {
    auto h = wire::decode_header(e.header);
    REQUIRE(h.is_ok());
    CHECK(h->prev == prev);
    CHECK(wire::verify_event_signature(h->author, e.header, e.signature));
    prev = wire::event_id(e.header);
  }
  const std::string before_rebuild = test::dump_views(s.db());
  REQUIRE(s.rebuild_views().is_ok());
  CHECK(test::dump_views(s.db()) == before_rebuild);
}
