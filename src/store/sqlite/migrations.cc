#include "store/sqlite/migrations.h"

#include <array>
#include <string>

namespace mpay::store::sqlite {
namespace {

constexpr std::array kJournalMigrations{
    Migration{1, "journal", R"sql(
      -- One row per batch: the batch's whole journal record (see src/ledger/journal_format.h).
      CREATE TABLE journal (
        seq    INTEGER PRIMARY KEY,
        record BLOB NOT NULL
      );
    )sql"},
};

constexpr std::array kMainMigrations{
    Migration{1, "idempotency keys", R"sql(
      -- Idempotency-Key records (src/api/idempotency.h): the request that claimed the key (as a
      -- SHA-256 digest) and, once it completed, the response to replay. Kept for 24 hours.
      CREATE TABLE idempotency_keys (
        scope          TEXT NOT NULL,     -- the authenticated principal
        key            TEXT NOT NULL,
        request_digest BLOB NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
        status         INTEGER NOT NULL DEFAULT 0,
        content_type   TEXT NOT NULL DEFAULT '',
        body           BLOB NOT NULL DEFAULT x'',
        created_at_ns  INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ns);
    )sql"},
};

constexpr std::array kProjectionMigrations{
    Migration{1, "ledger projections", R"sql(
      -- Created transfers, keyed by their unique ledger timestamp (append order).
      CREATE TABLE transfers (
        timestamp          INTEGER PRIMARY KEY,
        id                 BLOB NOT NULL,
        seq                INTEGER NOT NULL,
        debit_account_id   BLOB NOT NULL,
        credit_account_id  BLOB NOT NULL,
        pending_id         BLOB,
        amount             INTEGER NOT NULL,
        amount_applied     INTEGER NOT NULL,
        amount_released    INTEGER NOT NULL,
        user_data          INTEGER NOT NULL,
        timeout_s          INTEGER NOT NULL,
        currency           INTEGER NOT NULL,
        code               INTEGER NOT NULL,
        flags              INTEGER NOT NULL,
        defaulted          INTEGER NOT NULL,
        status             INTEGER NOT NULL,  -- PendingStatus: 0 none, 1 pending, 2 posted, 3 voided, 4 expired
        resolved_timestamp INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE transfer_ids (
        id        BLOB PRIMARY KEY,
        timestamp INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE account_transfers (
        account_id BLOB NOT NULL,
        timestamp  INTEGER NOT NULL,
        PRIMARY KEY (account_id, timestamp)
      ) WITHOUT ROWID;
      -- Rejections remembered against their id (id_already_failed on retry).
      CREATE TABLE failed_transfers (
        id                BLOB PRIMARY KEY,
        seq               INTEGER NOT NULL,
        timestamp         INTEGER NOT NULL,
        result            INTEGER NOT NULL,
        debit_account_id  BLOB NOT NULL,
        credit_account_id BLOB NOT NULL,
        pending_id        BLOB NOT NULL,
        amount            INTEGER NOT NULL,
        user_data         INTEGER NOT NULL,
        timeout_s         INTEGER NOT NULL,
        currency          INTEGER NOT NULL,
        code              INTEGER NOT NULL,
        flags             INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE accounts (
        id              BLOB PRIMARY KEY,
        timestamp       INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        user_data       INTEGER NOT NULL,
        currency        INTEGER NOT NULL,
        kind            INTEGER NOT NULL,
        flags           INTEGER NOT NULL,
        code            INTEGER NOT NULL,
        debits_pending  INTEGER NOT NULL DEFAULT 0,
        debits_posted   INTEGER NOT NULL DEFAULT 0,
        credits_pending INTEGER NOT NULL DEFAULT 0,
        credits_posted  INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE projection_state (
        name        TEXT PRIMARY KEY,
        applied_seq INTEGER NOT NULL
      );
      INSERT INTO projection_state (name, applied_seq) VALUES ('ledger', 0);
    )sql"},
};

}  // namespace

std::span<const Migration> journal_migrations() { return kJournalMigrations; }
std::span<const Migration> main_migrations() { return kMainMigrations; }
std::span<const Migration> projection_migrations() { return kProjectionMigrations; }

Status migrate(SqliteDatabase& db, std::span<const Migration> migrations, int64_t now_ns) {
  Status created = db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ns INTEGER NOT NULL)");
  if (!created.ok()) return created;
  Result<std::unique_ptr<Statement>> current =
      db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.error();
  Result<bool> row = (*current)->step();
  if (!row.ok()) return row.error();
  int64_t applied = (*current)->column_int64(0);
  current->reset();

  int64_t newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (applied > newest_known) {
    return Error("schema_too_new", db.path() + " has schema version " + std::to_string(applied) +
                                       "; this binary knows up to " + std::to_string(newest_known));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= applied) continue;
    Status status = in_transaction(db, [&]() -> Status {
      Status ran = db.exec(migration.sql);
      if (!ran.ok()) return ran;
      Result<std::unique_ptr<Statement>> insert = db.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, ?, ?)");
      if (!insert.ok()) return insert.error();
      return (*insert)->bind(1, int64_t{migration.version}).bind(2, migration.name).bind(3, now_ns).run();
    });
    if (!status.ok()) return status;
  }
  return ok_status();
}

}  // namespace mpay::store::sqlite
