// Versioned schema migrations for mpay's SQLite databases.
//
// Each database keeps the versions it has applied in `schema_migrations`. migrate() applies the
// missing ones in order, each in its own transaction, and refuses to run against a database that
// is newer than this binary ("schema_too_new"). Migrations are append-only: never edit a released
// one, add a new version.
#pragma once

#include <span>
#include <string_view>

#include "core/error.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The journal database (journal.db): one row per batch, nothing else.
std::span<const Migration> journal_migrations();
// The main database (mpay.db): the ordinary tables (idempotency keys; users, merchants, ... as
// later issues add them).
std::span<const Migration> main_migrations();
// The projections database (projections.db): rebuildable from the journal at any time.
std::span<const Migration> projection_migrations();
// The webhook outbox (webhooks.db): events for merchants, their deliveries and attempts.
std::span<const Migration> webhook_migrations();

Status migrate(SqliteDatabase& db, std::span<const Migration> migrations, int64_t now_ns);

}  // namespace mpay::store::sqlite
