// A few read-only connections to one database, shared by the threads that read it: a reader
// borrows one (waiting while all are out) and its lease gives it back. A SQLite connection serves
// one thread at a time, and opening one per read would parse the schema and start with a cold
// page cache every time. Used by the ledger's projections, mpay.db's wallet repository and the
// payment-request archive. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class ReaderPool {
 public:
  class Lease {
   public:
    ~Lease() { pool_.give_back(std::move(db_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    SqliteDatabase& operator*() { return *db_; }
    SqliteDatabase* operator->() { return db_.get(); }

   private:
    friend class ReaderPool;
    Lease(ReaderPool& pool, std::unique_ptr<SqliteDatabase> db) : pool_(pool), db_(std::move(db)) {}

    ReaderPool& pool_;
    std::unique_ptr<SqliteDatabase> db_;
  };

  // Opens `count` (at least one) read-only connections to `path`, each with a 4 MiB page cache.
  Status open(const std::string& path, size_t count);
  Lease borrow();

 private:
  void give_back(std::unique_ptr<SqliteDatabase> db);

  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<SqliteDatabase>> idle_;
};

}  // namespace mpay::store::sqlite
