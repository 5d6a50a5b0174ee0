#include "store/sqlite/sqlite_idempotency_store.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>

#include "store/sqlite/migrations.h"

namespace mpay::store::sqlite {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::span<const std::byte> bytes_of(const api::RequestDigest& digest) {
  return {reinterpret_cast<const std::byte*>(digest.data()), digest.size()};
}

}  // namespace

Result<std::unique_ptr<SqliteIdempotencyStore>> SqliteIdempotencyStore::open(
    const std::string& directory, Clock& clock) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Error("store_error", "create " + directory + ": " + error.message());
  OpenOptions options;
  options.synchronous_full = false;
  options.cache_kib = 2 * 1024;
  Result<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::open((std::filesystem::path(directory) / "mpay.db").string(), options);
  if (!db.ok()) return db.error();
  Status migrated = migrate(**db, main_migrations(), clock.now_ns());
  if (!migrated.ok()) return migrated.error();
  Status cleared = (*db)->exec("DELETE FROM idempotency_keys WHERE state = 'in_progress'");
  if (!cleared.ok()) return cleared.error();
  return std::unique_ptr<SqliteIdempotencyStore>(new SqliteIdempotencyStore(std::move(*db)));
}

Status SqliteIdempotencyStore::claim(std::string_view scope, std::string_view key,
                                     const api::RequestDigest& digest, int64_t now_ns) {
  Result<std::unique_ptr<Statement>> insert = db_->prepare(
      "INSERT OR REPLACE INTO idempotency_keys (scope, key, request_digest, state, created_at_ns)"
      " VALUES (?, ?, ?, 'in_progress', ?)");
  if (!insert.ok()) return insert.error();
  return (*insert)->bind(1, scope).bind(2, key).bind_blob(3, bytes_of(digest)).bind(4, now_ns).run();
}

Result<api::IdempotencyBegin> SqliteIdempotencyStore::begin(std::string_view scope,
                                                            std::string_view key,
                                                            const api::RequestDigest& digest,
                                                            int64_t now_ns,
                                                            int64_t stale_before_ns) {
  std::lock_guard lock(mutex_);
  api::IdempotencyBegin result;
  Status status = in_transaction(*db_, [&]() -> Status {
    {
      Result<std::unique_ptr<Statement>> select = db_->prepare(
          "SELECT request_digest, state, status, content_type, body, created_at_ns"
          " FROM idempotency_keys WHERE scope = ? AND key = ?");
      if (!select.ok()) return select.error();
      Statement& row = **select;
      Result<bool> found = row.bind(1, scope).bind(2, key).step();
      if (!found.ok()) return found.error();
      if (*found && row.column_int64(5) >= stale_before_ns) {
        std::span<const std::byte> stored_digest = row.column_blob(0);
        bool same = stored_digest.size() == digest.size() &&
                    std::memcmp(stored_digest.data(), digest.data(), digest.size()) == 0;
        if (!same) {
          result.state = api::IdempotencyState::mismatch;
        } else if (row.column_text(1) != "completed") {
          result.state = api::IdempotencyState::in_progress;
        } else {
          result.state = api::IdempotencyState::replay;
          result.response.status = static_cast<unsigned>(row.column_int64(2));
          result.response.content_type = row.column_text(3);
          std::span<const std::byte> body = row.column_blob(4);
          result.response.body.assign(reinterpret_cast<const char*>(body.data()), body.size());
        }
        return ok_status();
      }
    }
    result.state = api::IdempotencyState::proceed;
    return claim(scope, key, digest, now_ns);
  });
  if (!status.ok()) return status.error();
  return result;
}

Status SqliteIdempotencyStore::complete(std::string_view scope, std::string_view key,
                                        const api::StoredResponse& response) {
  std::lock_guard lock(mutex_);
  Result<std::unique_ptr<Statement>> update = db_->prepare(
      "UPDATE idempotency_keys SET state = 'completed', status = ?, content_type = ?, body = ?"
      " WHERE scope = ? AND key = ? AND state = 'in_progress'");
  if (!update.ok()) return update.error();
  return (*update)
      ->bind(1, static_cast<int64_t>(response.status))
      .bind(2, response.content_type)
      .bind_blob(3, bytes_of(response.body))
      .bind(4, scope)
      .bind(5, key)
      .run();
}

Status SqliteIdempotencyStore::abandon(std::string_view scope, std::string_view key) {
  std::lock_guard lock(mutex_);
  Result<std::unique_ptr<Statement>> remove = db_->prepare(
      "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'in_progress'");
  if (!remove.ok()) return remove.error();
  return (*remove)->bind(1, scope).bind(2, key).run();
}

Result<uint64_t> SqliteIdempotencyStore::expire(int64_t created_before_ns, uint64_t rows_max) {
  std::lock_guard lock(mutex_);
  Result<std::unique_ptr<Statement>> remove = db_->prepare(
      "DELETE FROM idempotency_keys WHERE rowid IN"
      " (SELECT rowid FROM idempotency_keys WHERE created_at_ns < ? LIMIT ?)");
  if (!remove.ok()) return remove.error();
  int64_t limit = static_cast<int64_t>(
      std::min<uint64_t>(rows_max, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
  Status removed = (*remove)->bind(1, created_before_ns).bind(2, limit).run();
  if (!removed.ok()) return removed.error();
  return static_cast<uint64_t>(db_->changes());
}

}  // namespace mpay::store::sqlite
