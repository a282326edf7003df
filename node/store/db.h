// A thin RAII layer over SQLite: one connection, cached prepared statements,
// transactions, numbered migrations (store/sql/NN-name.sql).
//
// Thread-safety: a Db is used from one thread (the daemon's io_context).
// Statements are cached by the address of their SQL text, so pass string
// literals; never nest two uses of the same statement (prepare() resets it).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/bytes.h"
#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hearth::store {

// One schema change: store/sql/NN-name.sql, compiled in (see migrations()).
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, ByteView blob);
  // Binds without a copy: the bytes must stay valid for every step() that
  // uses them (SQLite reads them nowhere else; prepare() clears bindings
  // before the statement's next use). For the values of hot paths.
  Statement& bind_borrowed(int index, ByteView blob);
  Statement& bind_text(int index, std::string_view text);
  Statement& bind_null(int index);

  // true: a row is ready; false: done. Errors (constraint, I/O) as Status.
  Result<bool> step();
  // Steps to completion; for statements that return no rows.
  Status run();
  // Steps to completion and returns the first column of every row, then resets.
  Result<std::vector<int64_t>> all_int64();

  bool is_null(int column) const;
  int64_t int64(int column) const;
  // Valid until the next step() or reset().
  ByteView blob(int column) const;
  std::string_view text(int column) const;

  void reset();

 private:
  friend class Db;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens or creates the database with Hearth's settings (WAL,
  // synchronous=FULL, secure_delete=ON, foreign keys) and runs pending
  // migrations. ":memory:" gives a private in-memory database.
  static Result<std::unique_ptr<Db>> open(const std::string& path);
  // The same, running only the migrations of `all` (a store made by an
  // older Hearth, for tests of the migrations that follow).
  static Result<std::unique_ptr<Db>> open(const std::string& path,
                                          std::span<const Migration> all);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status exec(const char* sql);
  // A cached, reset statement with cleared bindings. `sql` must outlive the Db.
  Statement& prepare(const char* sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  int schema_version();
  Result<int64_t> page_size();

  // BEGIN IMMEDIATE … COMMIT; rolls back on destruction unless committed.
  class Transaction {
   public:
    explicit Transaction(Db* db) : db_(db) {}
    Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Status commit();

   private:
    Db* db_;
  };
  Result<Transaction> begin();
  // Whether a transaction is open on this connection.
  bool in_transaction() const;

  // Commits made while relaxed (WAL, synchronous=NORMAL) are atomic and
  // survive a killed process, but the last ones may be lost on power loss.
  // For data that can be fetched again (events received from the partner,
  // who resends what our Hello does not claim); never for this device's
  // own writes. The guard restores synchronous=FULL.
  class RelaxedDurability {
   public:
    explicit RelaxedDurability(Db& db);
    ~RelaxedDurability();
    RelaxedDurability(const RelaxedDurability&) = delete;
    RelaxedDurability& operator=(const RelaxedDurability&) = delete;

   private:
    Db& db_;
  };

  Status last_error(const std::string& context) const;

  // Calls `listener` on the committing thread after each commit, with the
  // number of frames in the WAL. While one is set, SQLite checkpoints
  // nothing by itself: the listener decides (store/checkpointer.h). An
  // empty listener brings the automatic checkpoints back.
  void set_wal_listener(std::function<void(int frames)> listener);
  // A passive checkpoint: copies what it can of the WAL into the database
  // file without waiting for a writer or blocking one, and returns how many
  // frames of the WAL are now copied back. A checkpoint already running
  // elsewhere is not an error (0).
  Result<int> checkpoint();

  // Deleting words or keys (a forget, an erase, a key replaced or dropped,
  // a former partner's addresses): secure_delete zeroes what a statement
  // deletes in the current page, but older images of that page stay in the
  // WAL until it is checkpointed and truncated. Call inside the transaction
  // that deletes; once it commits, scrub() runs. (A rollback deletes nothing.)
  void scrub_after_commit() { scrub_wanted_ = true; }
  // Copies every frame of the WAL into the database file, syncs it and
  // truncates the WAL to zero bytes (a TRUNCATE checkpoint), so that no file
  // of the store holds a page image older than the database's current one.
  // Waits for readers and a checkpoint running on another connection (the
  // Checkpointer's), at most a few seconds; kUnavailable if they stay. A
  // no-op for ":memory:". Call outside a transaction.
  Status scrub();

  // Runs the migrations of `all` newer than the store's user_version, each in
  // its own transaction. Refuses (kRefused, nothing changed) a store whose
  // user_version is newer than `all` knows, and (kInternal) a list that is
  // not numbered 1, 2, 3…. open() runs it with migrations().
  Status migrate(std::span<const Migration> all);

 private:
  explicit Db(sqlite3* handle) : handle_(handle) {}
  Status migrate();
  static int on_wal_commit(void* self, sqlite3*, const char*, int frames);
  sqlite3* handle_;
  bool scrub_wanted_ = false;
  std::function<void(int)> wal_listener_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

// The migrations compiled in: version N is store/sql/NN-*.sql.
std::span<const Migration> migrations();
// OK when the versions are exactly 1, 2, 3… in order; a gap or a duplicate
// (two files numbered alike) is kInternal, naming the first misnumbered one.
// store/embed_sql.cmake refuses such a directory at build time as well.
Status check_migrations(std::span<const Migration> all);

}  // namespace hearth::store
