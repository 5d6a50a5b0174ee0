#include "store/sqlite/sqlite_database.h"

#include <cstring>
#include <mutex>

#include "absl/strings/string_view.h"
#include "core/check.h"

namespace mpay::store::sqlite {
namespace {

Error store_error(sqlite3* handle, std::string_view context) {
  return Error("store_error", std::string(context) + ": " + sqlite3_errmsg(handle));
}

void store_big_endian(uint64_t value, unsigned char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
}

uint64_t load_big_endian(const unsigned char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | in[i];
  return value;
}

// Process-wide settings, before the first connection initializes the library. Memory statistics
// off: with them on, every allocation of every connection takes one global mutex, which the
// committer, the projector and the outbox writer all contend for; mpay never reads them.
void configure_library_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_initialize();
  });
}

}  // namespace

Statement::~Statement() { reset(); }

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_status_ = SQLITE_OK;
}

Statement& Statement::bind(int index, int64_t value) {
  if (bind_status_ == SQLITE_OK) bind_status_ = sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (bind_status_ == SQLITE_OK) {
    bind_status_ = sqlite3_bind_text64(statement_, index, text.data(), text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::byte> blob) {
  // SQLITE_STATIC: callers keep the bytes alive until the statement has run (always the case:
  // statements run within the call that binds them).
  if (bind_status_ == SQLITE_OK) {
    bind_status_ = sqlite3_bind_blob64(statement_, index, blob.data(), blob.size(), SQLITE_STATIC);
  }
  return *this;
}

Statement& Statement::bind(int index, const Id128& id) {
  unsigned char bytes[16];
  store_big_endian(id.high, bytes);
  store_big_endian(id.low, bytes + 8);
  if (bind_status_ == SQLITE_OK) {
    bind_status_ = sqlite3_bind_blob(statement_, index, bytes, sizeof(bytes), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (bind_status_ == SQLITE_OK) bind_status_ = sqlite3_bind_null(statement_, index);
  return *this;
}

Result<bool> Statement::step() {
  sqlite3* handle = sqlite3_db_handle(statement_);
  if (bind_status_ != SQLITE_OK) return store_error(handle, "bind");
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return store_error(handle, "step");
}

Status Statement::run() {
  while (true) {
    Result<bool> row = step();
    if (!row.ok()) return row.error();
    if (!*row) return ok_status();
  }
}

Result<bool> Statement::run_returning() {
  bool any = false;
  while (true) {
    Result<bool> row = step();
    if (!row.ok()) return row.error();
    if (!*row) return any;
    any = true;
  }
}

int64_t Statement::column_int64(int index) const { return sqlite3_column_int64(statement_, index); }

std::string Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(statement_, index);
  int size = sqlite3_column_bytes(statement_, index);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

std::span<const std::byte> Statement::column_blob(int index) const {
  const void* blob = sqlite3_column_blob(statement_, index);
  int size = sqlite3_column_bytes(statement_, index);
  return {static_cast<const std::byte*>(blob), static_cast<size_t>(size)};
}

Id128 Statement::column_id(int index) const {
  if (column_is_null(index)) return Id128{};
  const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement_, index));
  int size = sqlite3_column_bytes(statement_, index);
  MPAY_CHECK(size == 16, "id column is not 16 bytes");
  return Id128{load_big_endian(bytes), load_big_endian(bytes + 8)};
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path,
                                                            OpenOptions options) {
  configure_library_once();
  sqlite3* handle = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // one thread at a time per connection, by contract
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error("store_error", "open " + path + ": " +
                                   (handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)));
    sqlite3_close_v2(handle);
    return error;
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(handle, path));
  sqlite3_busy_timeout(handle, 10000);
  sqlite3_extended_result_codes(handle, 1);
  std::string pragmas = "PRAGMA page_size=" + std::to_string(options.page_size_bytes) + ";";
  pragmas += "PRAGMA cache_size=-" + std::to_string(options.cache_kib) + ";";
  if (!options.read_only) {
    pragmas += "PRAGMA journal_mode=WAL;";
    pragmas += options.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    pragmas += "PRAGMA wal_autocheckpoint=" + std::to_string(options.wal_autocheckpoint_pages) + ";";
  }
  pragmas += "PRAGMA temp_store=MEMORY;";
  Status configured = db->exec(pragmas);
  if (!configured.ok()) return configured.error();
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(handle_);
}

Status SqliteDatabase::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Error("store_error", "exec on " + path_ + ": " + detail);
  }
  return ok_status();
}

Result<std::unique_ptr<Statement>> SqliteDatabase::prepare(std::string_view sql) {
  // Debian's abseil has its own string_view type, which its string hash takes.
  auto it = statements_.find(absl::string_view(sql.data(), sql.size()));
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return store_error(handle_, "prepare");
    it = statements_.emplace(std::string(sql), statement).first;
  }
  return std::make_unique<Statement>(it->second);
}

Status SqliteDatabase::begin() { return exec("BEGIN IMMEDIATE"); }
Status SqliteDatabase::commit() { return exec("COMMIT"); }
Status SqliteDatabase::rollback() { return exec("ROLLBACK"); }

Error SqliteDatabase::error(std::string_view context) const { return store_error(handle_, context); }

Status each_row(SqliteDatabase& db, const std::string& sql,
                const std::function<void(const Statement&)>& visit) {
  Result<std::unique_ptr<Statement>> select = db.prepare(sql);
  if (!select.ok()) return select.error();
  return each_row(**select, visit);
}

Status each_row(Statement& statement, const std::function<void(const Statement&)>& visit) {
  while (true) {
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (!*row) return ok_status();
    visit(statement);
  }
}

}  // namespace mpay::store::sqlite
