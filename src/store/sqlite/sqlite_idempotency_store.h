// api::IdempotencyStore on SQLite: the table idempotency_keys in DATA/mpay.db (main migration 1).
//
// It opens its own connection to mpay.db (creating the directory and the file, and applying the
// main migrations, if needed) and uses it from one thread at a time behind a mutex. Each call is
// one short transaction; expire() deletes at most rows_max rows per call so that it never holds
// the connection for long.
//
// Durability: synchronous=NORMAL (WAL). A record survives a crash of the process; a power loss
// may lose the last few. Losing one only means a retry runs again instead of being replayed,
// which the ledger's own item ids make harmless (its items answer "exists"). Records still in
// progress when the store is opened belong to requests that died with an earlier process: open()
// deletes them, so their keys do not answer 409 for a day.
//
// Thread-safe. Failures are "store_error" values carrying SQLite's message.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "api/idempotency_store.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class SqliteIdempotencyStore final : public api::IdempotencyStore {
 public:
  // `directory` is the data directory; the store uses directory/mpay.db.
  static Result<std::unique_ptr<SqliteIdempotencyStore>> open(const std::string& directory,
                                                             Clock& clock);

  Result<api::IdempotencyBegin> begin(std::string_view scope, std::string_view key,
                                      const api::RequestDigest& digest, int64_t now_ns,
                                      int64_t stale_before_ns) override;
  Status complete(std::string_view scope, std::string_view key,
                  const api::StoredResponse& response) override;
  Status abandon(std::string_view scope, std::string_view key) override;
  Result<uint64_t> expire(int64_t created_before_ns, uint64_t rows_max) override;

 private:
  explicit SqliteIdempotencyStore(std::unique_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  Status claim(std::string_view scope, std::string_view key, const api::RequestDigest& digest,
               int64_t now_ns);

  std::mutex mutex_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace mpay::store::sqlite
