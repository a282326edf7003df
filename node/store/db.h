// A thin RAII layer over SQLite: one connection, cached prepared statements,
// transactions, numbered migrations (store/sql/NN-name.sql).
//
// Thread-safety: a Db is used from one thread (the daemon's io_context).
// Statements are prepared once and cached by their SQL text; each use is a
// Query, which resets its statement when it ends.
#pragma once

#include <functional>
#include <iterator>
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

// A prepared statement kept by the Db's cache. Used only through a Query.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

 private:
  friend class Db;
  friend class Query;
  sqlite3_stmt* stmt_;
  bool in_use_ = false;  // a Query holds it
};

// The columns of the row a Query stands on; valid until its next step.
class Row {
 public:
  bool is_null(int column) const;
  int64_t int64(int column) const;
  // Valid until the next step, or the Query's end.
  ByteView blob(int column) const;
  std::string_view text(int column) const;

 protected:
  explicit Row(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_;
};

class Query;

// The rows of a Query, for a range-for. Each element is the next row, or
// the Status that ended the rows early (an I/O error, a corrupt page): that
// one comes last, and reading a row from it is a bug, so check it:
//
//   for (auto row : q.rows()) {
//     HEARTH_TRY(row.status());
//     out.push_back(row->int64(0));
//   }
class Rows {
 public:
  class iterator {
   public:
    using value_type = Result<Row>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(Query* q);
    Result<Row> operator*() const { return current_; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return query_ == nullptr; }

   private:
    void next();
    Query* query_ = nullptr;  // null: past the last row
    Result<Row> current_ = Status::internal("no row");
  };
  explicit Rows(Query& q) : query_(&q) {}
  iterator begin() { return iterator(query_); }
  std::default_sentinel_t end() { return {}; }

 private:
  Query* query_;
};

// One use of a cached statement: bind parameters, step, read the columns.
// The statement is reset (and its bindings cleared) when the Query ends, so
// none is left part-way through its rows holding a read snapshot of the WAL.
// Move-only; two Queries of the same SQL at once are a bug (HEARTH_ASSERT).
class Query : public Row {
 public:
  explicit Query(Statement& st);
  ~Query();
  Query(Query&& o) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  Query& bind(int index, int64_t value);
  Query& bind(int index, ByteView blob);
  // Binds without a copy: the bytes must stay valid for every step of this
  // Query. For the values of hot paths.
  Query& bind_borrowed(int index, ByteView blob);
  Query& bind_text(int index, std::string_view text);
  Query& bind_null(int index);

  // true: a row is ready; false: done. Errors (constraint, I/O) as Status.
  Result<bool> step();
  // Steps to completion; for statements that return no rows.
  Status run();
  // Every row; see Rows.
  Rows rows() { return Rows(*this); }
  // The first column of every row.
  Result<std::vector<int64_t>> all_int64();
  // The first column of the one row a statement such as `SELECT count(*)`
  // returns; kInternal if it returns none.
  Result<int64_t> single_int64();

 private:
  Statement* st_;
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
  // A use of the statement for `sql`, prepared on first use and cached (by
  // its text) until the Db closes. SQL that does not prepare is a bug.
  Query prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  // PRAGMA user_version: the number of the newest migration applied.
  Result<int> schema_version();
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
  // How many transactions this connection has rolled back: a cache of rows
  // (store/authors.h) forgets what it learned when this changes, since a
  // row added in a rolled-back transaction is gone and its number free again.
  uint64_t rollbacks() const { return rollbacks_; }

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
  static void on_rollback(void* self);
  sqlite3* handle_;
  bool scrub_wanted_ = false;
  uint64_t rollbacks_ = 0;
  std::function<void(int)> wal_listener_;
  // Keyed by the SQL's text: the same SQL written in two places shares one
  // statement, and a string's address means nothing.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> cache_;
};

// The migrations compiled in: version N is store/sql/NN-*.sql.
std::span<const Migration> migrations();
// OK when the versions are exactly 1, 2, 3… in order; a gap or a duplicate
// (two files numbered alike) is kInternal, naming the first misnumbered one.
// store/embed_sql.cmake refuses such a directory at build time as well.
Status check_migrations(std::span<const Migration> all);

}  // namespace hearth::store
