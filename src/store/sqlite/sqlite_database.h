// A thin RAII layer over one SQLite connection: open with mpay's pragmas, run statements, cache
// prepared statements, map every SQLite failure to an Error ("store_error", with SQLite's message).
//
// One SqliteDatabase is one connection: use it from one thread at a time (callers hold a mutex or
// own it). Internal to src/store/sqlite: nothing SQLite-specific leaves this folder.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "core/error.h"
#include "core/ids.h"

namespace mpay::store::sqlite {

// A prepared statement borrowed from a connection's cache; reset and cleared when released.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::span<const std::byte> blob);
  Statement& bind(int index, const Id128& id);  // 16 bytes, big-endian (sorts like UUID text)
  Statement& bind_null(int index);

  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
  Result<bool> step();
  // Runs to completion (for INSERT/UPDATE/DELETE).
  Status run();
  // Runs to completion; true when it produced at least one row (INSERT/UPDATE ... RETURNING
  // tells whether a row was written).
  Result<bool> run_returning();
  // Makes the statement ready to bind and run again (loops over many rows).
  void reset();

  int64_t column_int64(int index) const;
  std::string column_text(int index) const;
  std::span<const std::byte> column_blob(int index) const;
  Id128 column_id(int index) const;  // zero id for NULL
  bool column_is_null(int index) const;

 private:
  sqlite3_stmt* statement_;
  int bind_status_ = SQLITE_OK;
};

struct OpenOptions {
  bool read_only = false;
  bool synchronous_full = true;   // durability: fsync the WAL at every commit
  int64_t cache_kib = 16 * 1024;  // page cache per connection
  int64_t wal_autocheckpoint_pages = 1000;
  int64_t page_size_bytes = 4096;  // takes effect when the file is created
};

class SqliteDatabase {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path, OpenOptions options);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Status exec(std::string_view sql);  // one or more statements, no results
  // A cached prepared statement; valid until the returned Statement is destroyed.
  Result<std::unique_ptr<Statement>> prepare(std::string_view sql);

  Status begin();  // BEGIN IMMEDIATE: take the write lock up front
  Status commit();
  Status rollback();

  Error error(std::string_view context) const;
  const std::string& path() const { return path_; }
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t changes() const { return sqlite3_changes64(handle_); }
  // The rowid the last INSERT on this connection gave its row.
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(handle_); }

 private:
  SqliteDatabase(sqlite3* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  sqlite3* handle_;
  std::string path_;
  // Looked up by the SQL text as given (abseil's string hash takes a string_view), so a hit
  // neither allocates nor copies the text; most statements run once per row written.
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

// Runs `sql` (no parameters) and hands every row to `visit`, in order.
Status each_row(SqliteDatabase& db, const std::string& sql,
                const std::function<void(const Statement&)>& visit);
// The same for a statement already prepared and bound.
Status each_row(Statement& statement, const std::function<void(const Statement&)>& visit);

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back if it fails.
template <typename Body>
Status in_transaction(SqliteDatabase& db, Body&& body) {
  Status begun = db.begin();
  if (!begun.ok()) return begun;
  Status status = body();
  if (!status.ok()) {
    (void)db.rollback();
    return status;
  }
  return db.commit();
}

}  // namespace mpay::store::sqlite
