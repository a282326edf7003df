#include "store/db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "util/assert.h"
#include "util/log.h"

namespace hearth::store {
namespace {

// Checkpoint when the WAL holds this many pages (64 MiB of 16 KiB pages): a
// catch-up commits big batches, and each checkpoint costs extra fsyncs. A file store hands
// checkpoints to a Checkpointer instead; this is what ":memory:" and a
// store without one run.
constexpr const char* kAutoCheckpoint = "PRAGMA wal_autocheckpoint=4000";

Status status_from(sqlite3* db, int rc, const std::string& context) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Status::refused(context + ": " + msg);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return Status::corrupt(context + ": " + msg);
  return Status::io(context + ": " + msg);
}

Status errno_status(const std::string& what, const std::string& path) {
  return Status::io(what + " " + path + ": " + std::strerror(errno));
}

// SQLite creates a database file with mode 0644 minus the umask and gives its
// -wal, -shm and -journal files the database file's mode. Creating the file
// 0600 first (and tightening an existing one, and any of its side files left
// from an older version) keeps all of them private whatever the umask.
Status make_private(const std::string& path) {
  if (path.empty() || path == ":memory:") return Status::ok();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_status("cannot open", path);
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && ((st.st_mode & 0077) == 0 || ::fchmod(fd, 0600) == 0);
  Status result = ok ? Status::ok() : errno_status("cannot make private", path);
  ::close(fd);
  HEARTH_TRY(result);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string side = path + suffix;
    if (::lstat(side.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return errno_status("cannot inspect", side);
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & 0077) != 0 && ::chmod(side.c_str(), 0600) != 0)
      return errno_status("cannot make private", side);
  }
  return Status::ok();
}

}  // namespace

Status check_migrations(std::span<const Migration> all) {
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].version != static_cast<int>(i + 1)) {
      return Status::internal(std::string("migration ") + all[i].name + " has number " +
                              std::to_string(all[i].version) + " where " + std::to_string(i + 1) +
                              " was expected: migrations are numbered 1, 2, 3… without gaps "
                              "or duplicates");
    }
  }
  return Status::ok();
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
// A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
const uint8_t kEmptyBlob = 0;
}  // namespace

bool Row::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

int64_t Row::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

ByteView Row::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr || n <= 0) return {};
  return {static_cast<const uint8_t*>(p), static_cast<size_t>(n)};
}

std::string_view Row::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr || n <= 0) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};
}

Rows::iterator::iterator(Query* q) : query_(q) { next(); }

Rows::iterator& Rows::iterator::operator++() {
  if (!current_.is_ok()) {
    query_ = nullptr;  // the error was the last element
  } else {
    next();
  }
  return *this;
}

void Rows::iterator::next() {
  Result<bool> row = query_->step();
  if (!row.is_ok()) {
    current_ = row.status();
  } else if (*row) {
    current_ = static_cast<const Row&>(*query_);
  } else {
    query_ = nullptr;
  }
}

Query::Query(Statement& st) : Row(st.stmt_), st_(&st) {
  if (st.in_use_) log::error("two uses of one SQL statement at once: ", sqlite3_sql(st.stmt_));
  HEARTH_ASSERT(!st.in_use_, "a statement is used again before its first use ended");
  st.in_use_ = true;
}

Query::Query(Query&& o) noexcept : Row(o.stmt_), st_(std::exchange(o.st_, nullptr)) {}

Query::~Query() {
  if (st_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  st_->in_use_ = false;
}

Query& Query::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Query& Query::bind(int index, ByteView blob) {
  sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmptyBlob : blob.data(), blob.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Query& Query::bind_borrowed(int index, ByteView blob) {
  sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmptyBlob : blob.data(), blob.size(),
                      SQLITE_STATIC);
  return *this;
}

Query& Query::bind_text(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(),
                      SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Query& Query::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Query::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return status_from(db, rc, "database");
}

Status Query::run() {
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, step());
    if (!row) return Status::ok();
  }
}

Result<std::vector<int64_t>> Query::all_int64() {
  std::vector<int64_t> out;
  for (auto row : rows()) {
    HEARTH_TRY(row.status());
    out.push_back(row->int64(0));
  }
  return out;
}

Result<int64_t> Query::single_int64() {
  HEARTH_ASSIGN_OR_RETURN(bool row, step());
  if (!row) return Status::internal(std::string("no row from: ") + sqlite3_sql(stmt_));
  return int64(0);
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  return open(path, migrations());
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path, std::span<const Migration> all) {
  HEARTH_TRY(make_private(path));
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                               SQLITE_OPEN_NOFOLLOW,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status st = status_from(handle, rc, "cannot open " + path);
    sqlite3_close(handle);
    return st;
  }
  std::unique_ptr<Db> db(new Db(handle));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_rollback_hook(handle, &Db::on_rollback, db.get());
  sqlite3_busy_timeout(handle, 5000);
  // Pages of 16 KiB for a new file store (an existing one keeps its size):
  // received batches commit in about half the time of 4 KiB pages, with
  // fewer B-tree levels and WAL frames per event. In memory (tests, fuzzers)
  // SQLite's 4 KiB make a fresh store cheaper.
  if (path != ":memory:") HEARTH_TRY(db->exec("PRAGMA page_size=16384"));
  // Settings that make a reported write durable and freed pages unreadable.
  HEARTH_TRY(db->exec("PRAGMA journal_mode=WAL"));
  HEARTH_TRY(db->exec("PRAGMA synchronous=FULL"));
  HEARTH_TRY(db->exec("PRAGMA secure_delete=ON"));
  HEARTH_TRY(db->exec("PRAGMA foreign_keys=ON"));
  HEARTH_TRY(db->exec("PRAGMA trusted_schema=OFF"));
  HEARTH_TRY(db->exec("PRAGMA cell_size_check=ON"));
  // Temporary tables and sorts stay in memory, never in a file outside the home.
  HEARTH_TRY(db->exec("PRAGMA temp_store=MEMORY"));
  // A larger cache and fewer, larger checkpoints (kAutoCheckpoint). The WAL
  // is kept at most 64 MiB once checkpointed.
  HEARTH_TRY(db->exec("PRAGMA cache_size=-16384"));
  HEARTH_TRY(db->exec(kAutoCheckpoint));
  HEARTH_TRY(db->exec("PRAGMA journal_size_limit=67108864"));
  HEARTH_TRY(db->migrate(all));
  return db;
}

void Db::set_wal_listener(std::function<void(int frames)> listener) {
  wal_listener_ = std::move(listener);
  if (wal_listener_) {
    sqlite3_wal_hook(handle_, &Db::on_wal_commit, this);
  } else {
    Status st = exec(kAutoCheckpoint);  // sets SQLite's own hook again
    if (!st.is_ok()) log::warn("cannot restore automatic checkpoints: ", st.to_string());
  }
}

int Db::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<Db*>(self)->wal_listener_(frames);
  return SQLITE_OK;
}

void Db::on_rollback(void* self) { ++static_cast<Db*>(self)->rollbacks_; }

Result<int> Db::checkpoint() {
  int frames = 0, copied = 0;
  int rc = sqlite3_wal_checkpoint_v2(handle_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
  if (rc == SQLITE_BUSY) return 0;
  if (rc != SQLITE_OK) return status_from(handle_, rc, "checkpoint");
  return copied;
}

Status Db::scrub() {
  scrub_wanted_ = false;
  // SQLite refuses at once (SQLITE_BUSY, without the busy handler) while
  // another connection checkpoints; a passive checkpoint ends soon.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    int frames = 0, copied = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(handle_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &frames, &copied);
    if (rc == SQLITE_OK) return Status::ok();
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
      return status_from(handle_, rc, "scrubbing the WAL");
    if (std::chrono::steady_clock::now() >= deadline) {
      scrub_wanted_ = true;  // again after the next commit
      return Status::unavailable("scrubbing the WAL: the store stays busy");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Db::~Db() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(handle_);
}

Status Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(handle_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Status::io("database: " + msg);
  }
  return Status::ok();
}

Query Db::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Query(*it->second);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) log::error("SQL does not prepare: ", sqlite3_errmsg(handle_), " in: ", sql);
  HEARTH_ASSERT(rc == SQLITE_OK, "a statement of Hearth's own failed to prepare");
  const bool one = std::all_of(tail, sql.data() + sql.size(),
                               [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (!one) log::error("SQL holds more than one statement: ", sql);
  HEARTH_ASSERT(one, "one statement per prepare");
  auto [pos, inserted] = cache_.emplace(std::string(sql), std::make_unique<Statement>(stmt));
  return Query(*pos->second);
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(handle_); }
int Db::changes() const { return sqlite3_changes(handle_); }

Result<int> Db::schema_version() {
  HEARTH_ASSIGN_OR_RETURN(int64_t v, prepare("PRAGMA user_version").single_int64());
  return static_cast<int>(v);
}

Result<int64_t> Db::page_size() {
  HEARTH_ASSIGN_OR_RETURN(int64_t size, prepare("PRAGMA page_size").single_int64());
  if (size <= 0) return Status::io("database: no page size");
  return size;
}

Status Db::last_error(const std::string& context) const {
  return status_from(handle_, sqlite3_errcode(handle_), context);
}

bool Db::in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

Result<Db::Transaction> Db::begin() {
  HEARTH_TRY(exec("BEGIN IMMEDIATE"));
  return Transaction(this);
}

Db::Transaction::~Transaction() {
  if (db_ != nullptr) {
    Status st = db_->exec("ROLLBACK");
    if (!st.is_ok()) log::error("rollback failed: ", st.to_string());
    db_->scrub_wanted_ = false;  // nothing was deleted
  }
}

Status Db::Transaction::commit() {
  HEARTH_ASSERT(db_ != nullptr, "commit of a finished transaction");
  Status st = db_->exec("COMMIT");
  if (!st.is_ok()) return st;
  Db* db = std::exchange(db_, nullptr);
  if (db->scrub_wanted_) {
    // Committed either way; what a failed scrub leaves, the next one takes.
    Status scrubbed = db->scrub();
    if (!scrubbed.is_ok()) log::warn(scrubbed.to_string());
  }
  return Status::ok();
}

Db::RelaxedDurability::RelaxedDurability(Db& db) : db_(db) {
  Status st = db_.exec("PRAGMA synchronous=NORMAL");
  if (!st.is_ok()) log::warn("cannot relax durability: ", st.to_string());
}

Db::RelaxedDurability::~RelaxedDurability() {
  Status st = db_.exec("PRAGMA synchronous=FULL");
  HEARTH_ASSERT(st.is_ok(), "cannot restore synchronous=FULL");
}

Status Db::migrate() { return migrate(migrations()); }

Status Db::migrate(std::span<const Migration> all) {
  HEARTH_TRY(check_migrations(all));
  HEARTH_ASSIGN_OR_RETURN(const int current, schema_version());
  const int known = static_cast<int>(all.size());
  if (current > known) {
    return Status::refused("this store was written by a newer version of Hearth (store schema " +
                           std::to_string(current) + "; this version knows up to " +
                           std::to_string(known) +
                           "). Nothing was changed: upgrade Hearth to open it");
  }
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    HEARTH_ASSIGN_OR_RETURN(Transaction tx, begin());
    HEARTH_TRY(exec(m.sql).with_context(std::string("migration ") + m.name));
    std::string bump = "PRAGMA user_version=" + std::to_string(m.version);
    HEARTH_TRY(exec(bump.c_str()));
    HEARTH_TRY(tx.commit());
  }
  // A new or migrated store starts with its WAL copied back: the next
  // write starts the WAL over, and checkpoint limits count from there.
  if (current < known) HEARTH_TRY(checkpoint().status());
  return Status::ok();
}

}  // namespace hearth::store
