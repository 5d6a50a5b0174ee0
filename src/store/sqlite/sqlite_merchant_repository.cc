#include "store/sqlite/sqlite_merchant_repository.h"

#include <filesystem>
#include <limits>

#include "core/check.h"
#include "store/sqlite/migrations.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;
using merchant::KeyStatus;
using merchant::MerchantAccount;
using merchant::MerchantId;
using merchant::MerchantKeyRecord;
using merchant::MerchantRecord;
using merchant::MerchantStatus;

using StatementResult = Result<std::unique_ptr<Statement>>;

std::span<const std::byte> bytes_of(const std::string& text) { return std::as_bytes(std::span(text.data(), text.size())); }

std::string column_bytes(const Statement& statement, int index) {
  std::span<const std::byte> blob = statement.column_blob(index);
  return std::string(reinterpret_cast<const char*>(blob.data()), blob.size());
}

Error corrupt(const std::string& what) { return Error("store_error", "mpay.db holds an unreadable value: " + what); }

const char* status_text(MerchantStatus status) { return status == MerchantStatus::active ? "active" : "suspended"; }
const char* key_status_text(KeyStatus status) { return status == KeyStatus::active ? "active" : "revoked"; }

Status run_update(Statement& statement, const std::string& what) {
  Result<bool> updated = statement.run_returning();
  if (!updated.ok()) return updated.error();
  if (!*updated) return Error("not_found", what + " does not exist");
  return ok_status();
}

constexpr const char* kMerchantColumns =
    "id, legal_name, display_name, mcc, country, city, fee_bps, settlement_bank_code, settlement_account_sealed, "
    "settlement_account_masked, settlement_holder_sealed, settlement_holder_masked, webhook_url, "
    "webhook_secret_sealed, status, created_at_ns, updated_at_ns";

Result<MerchantRecord> read_merchant(const Statement& row) {
  MerchantRecord merchant;
  merchant.id = MerchantId(row.column_id(0));
  merchant.legal_name = row.column_text(1);
  merchant.display_name = row.column_text(2);
  merchant.mcc = row.column_text(3);
  merchant.country = row.column_text(4);
  merchant.city = row.column_text(5);
  merchant.fee_bps = static_cast<int>(row.column_int64(6));
  merchant.settlement_bank_code = row.column_text(7);
  merchant.settlement_account_sealed = column_bytes(row, 8);
  merchant.settlement_account_masked = row.column_text(9);
  merchant.settlement_holder_sealed = column_bytes(row, 10);
  merchant.settlement_holder_masked = row.column_text(11);
  merchant.webhook_url = row.column_text(12);
  merchant.webhook_secret_sealed = column_bytes(row, 13);
  std::string status = row.column_text(14);
  if (status == "active") {
    merchant.status = MerchantStatus::active;
  } else if (status == "suspended") {
    merchant.status = MerchantStatus::suspended;
  } else {
    return corrupt("merchants.status");
  }
  merchant.created_at_ns = row.column_int64(15);
  merchant.updated_at_ns = row.column_int64(16);
  return merchant;
}

Result<MerchantKeyRecord> read_key(const Statement& row) {
  MerchantKeyRecord key;
  key.key_id = row.column_text(0);
  key.merchant_id = MerchantId(row.column_id(1));
  key.secret_sealed = column_bytes(row, 2);
  std::string status = row.column_text(3);
  if (status != "active" && status != "revoked") return corrupt("merchant_keys.status");
  key.status = status == "active" ? KeyStatus::active : KeyStatus::revoked;
  key.created_at_ns = row.column_int64(4);
  key.revoked_at_ns = row.column_int64(5);
  key.future_reserved_until_s = row.column_int64(6);
  return key;
}

Status insert_key_row(SqliteDatabase& db, const MerchantKeyRecord& key) {
  StatementResult insert = db.prepare(
      "INSERT INTO merchant_keys (key_id, merchant_id, secret_sealed, status, created_at_ns, revoked_at_ns, "
      "future_reserved_until_s) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1");
  if (!insert.ok()) return insert.error();
  (*insert)->bind(1, key.key_id)
      .bind(2, key.merchant_id.value())
      .bind_blob(3, bytes_of(key.secret_sealed))
      .bind(4, std::string_view(key_status_text(key.status)))
      .bind(5, key.created_at_ns)
      .bind(6, key.revoked_at_ns)
      .bind(7, key.future_reserved_until_s);
  Result<bool> inserted = (*insert)->run_returning();
  if (!inserted.ok()) return inserted.error();
  if (!*inserted) return Error("already_exists", "a key has this id", "key_id");
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<SqliteMerchantRepository>> SqliteMerchantRepository::open(const std::string& data_directory,
                                                                                 Clock& clock) {
  std::error_code ec;
  fs::create_directories(data_directory, ec);
  if (ec) return Error("store_error", "cannot create data directory " + data_directory + ": " + ec.message());
  std::string path = (fs::path(data_directory) / "mpay.db").string();
  OpenOptions writer_options;
  writer_options.synchronous_full = true;
  Result<std::unique_ptr<SqliteDatabase>> writer_db = SqliteDatabase::open(path, writer_options);
  if (!writer_db.ok()) return writer_db.error();
  Status migrated = migrate(**writer_db, main_migrations(), clock.now_ns());
  if (!migrated.ok()) return migrated.error();
  OpenOptions reader_options;
  reader_options.read_only = true;
  reader_options.cache_kib = 1024;
  Result<std::unique_ptr<SqliteDatabase>> reader = SqliteDatabase::open(path, reader_options);
  if (!reader.ok()) return reader.error();

  std::unique_ptr<SqliteMerchantRepository> repository(new SqliteMerchantRepository());
  repository->reader_ = std::move(*reader);
  repository->writer_ = std::make_unique<GroupCommitWriter>(std::move(*writer_db), GroupCommitWriter::Options{});
  return repository;
}

SqliteMerchantRepository::~SqliteMerchantRepository() = default;

Status SqliteMerchantRepository::insert_merchant(const MerchantRecord& merchant, const MerchantKeyRecord& first_key) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(std::string("INSERT INTO merchants (") + kMerchantColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        " ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    (*insert)->bind(1, merchant.id.value())
        .bind(2, merchant.legal_name)
        .bind(3, merchant.display_name)
        .bind(4, merchant.mcc)
        .bind(5, merchant.country)
        .bind(6, merchant.city)
        .bind(7, int64_t{merchant.fee_bps})
        .bind(8, merchant.settlement_bank_code)
        .bind_blob(9, bytes_of(merchant.settlement_account_sealed))
        .bind(10, merchant.settlement_account_masked)
        .bind_blob(11, bytes_of(merchant.settlement_holder_sealed))
        .bind(12, merchant.settlement_holder_masked)
        .bind(13, merchant.webhook_url)
        .bind_blob(14, bytes_of(merchant.webhook_secret_sealed))
        .bind(15, std::string_view(status_text(merchant.status)))
        .bind(16, merchant.created_at_ns)
        .bind(17, merchant.updated_at_ns);
    Result<bool> inserted = (*insert)->run_returning();
    if (!inserted.ok()) return inserted.error();
    if (!*inserted) return Error("already_exists", "a merchant has this id", "id");
    for (const MerchantAccount& account : merchant.accounts) {
      StatementResult row = db.prepare(
          "INSERT INTO merchant_accounts (merchant_id, currency, account_id) VALUES (?, ?, ?)");
      if (!row.ok()) return row.error();
      Status added = (*row)->bind(1, merchant.id.value())
                         .bind(2, int64_t{account.currency})
                         .bind(3, account.account_id.value())
                         .run();
      if (!added.ok()) return added;
    }
    return insert_key_row(db, first_key);
  });
}

Status SqliteMerchantRepository::read_accounts(MerchantRecord& merchant) {
  StatementResult select =
      reader_->prepare("SELECT currency, account_id FROM merchant_accounts WHERE merchant_id = ? ORDER BY currency");
  if (!select.ok()) return select.error();
  (*select)->bind(1, merchant.id.value());
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    merchant.accounts.push_back(
        MerchantAccount{static_cast<uint16_t>((*select)->column_int64(0)), AccountId((*select)->column_id(1))});
  }
  if (merchant.accounts.empty()) return corrupt("a merchant without ledger accounts");
  return ok_status();
}

// Call with reader_mutex_ held.
Result<std::vector<MerchantRecord>> SqliteMerchantRepository::select_merchants(const std::string& where_and_order,
                                                                               const MerchantId* after, int64_t limit) {
  std::vector<MerchantRecord> merchants;
  {
    StatementResult select =
        reader_->prepare(std::string("SELECT ") + kMerchantColumns + " FROM merchants " + where_and_order);
    if (!select.ok()) return select.error();
    int index = 1;
    if (after != nullptr) (*select)->bind(index++, after->value());
    (*select)->bind(index, limit);
    while (true) {
      Result<bool> row = (*select)->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Result<MerchantRecord> merchant = read_merchant(**select);
      if (!merchant.ok()) return merchant.error();
      merchants.push_back(std::move(*merchant));
    }
  }
  for (MerchantRecord& merchant : merchants) {
    Status accounts = read_accounts(merchant);
    if (!accounts.ok()) return accounts.error();
  }
  return merchants;
}

Result<std::optional<MerchantRecord>> SqliteMerchantRepository::find_merchant(const MerchantId& id) {
  std::lock_guard lock(reader_mutex_);
  Result<std::vector<MerchantRecord>> found = select_merchants("WHERE id = ? LIMIT ?", &id, 1);
  if (!found.ok()) return found.error();
  if (found->empty()) return std::optional<MerchantRecord>();
  return std::optional<MerchantRecord>(std::move(found->front()));
}

Result<std::vector<MerchantRecord>> SqliteMerchantRepository::list_merchants(const MerchantId& after, size_t limit) {
  std::lock_guard lock(reader_mutex_);
  return select_merchants("WHERE id > ? ORDER BY id LIMIT ?", &after, static_cast<int64_t>(limit));
}

Result<std::vector<MerchantRecord>> SqliteMerchantRepository::all_merchants() {
  std::lock_guard lock(reader_mutex_);
  return select_merchants("ORDER BY id LIMIT ?", nullptr, std::numeric_limits<int64_t>::max());
}

Result<std::vector<MerchantKeyRecord>> SqliteMerchantRepository::all_keys() {
  std::lock_guard lock(reader_mutex_);
  StatementResult select = reader_->prepare(
      "SELECT key_id, merchant_id, secret_sealed, status, created_at_ns, revoked_at_ns, future_reserved_until_s "
      "FROM merchant_keys ORDER BY created_at_ns, key_id");
  if (!select.ok()) return select.error();
  std::vector<MerchantKeyRecord> keys;
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) return keys;
    Result<MerchantKeyRecord> key = read_key(**select);
    if (!key.ok()) return key.error();
    keys.push_back(std::move(*key));
  }
}

Status SqliteMerchantRepository::update_status(const MerchantId& id, MerchantStatus status, int64_t now_ns) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare("UPDATE merchants SET status = ?, updated_at_ns = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, std::string_view(status_text(status))).bind(2, now_ns).bind(3, id.value());
    return run_update(**update, "the merchant");
  });
}

Status SqliteMerchantRepository::update_webhook_secret(const MerchantId& id, const std::string& sealed, int64_t now_ns) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update =
        db.prepare("UPDATE merchants SET webhook_secret_sealed = ?, updated_at_ns = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind_blob(1, bytes_of(sealed)).bind(2, now_ns).bind(3, id.value());
    return run_update(**update, "the merchant");
  });
}

Status SqliteMerchantRepository::insert_key(const MerchantKeyRecord& key) {
  return writer_->execute([&](SqliteDatabase& db) -> Status { return insert_key_row(db, key); });
}

Status SqliteMerchantRepository::revoke_key(const std::string& key_id, int64_t now_ns) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE merchant_keys SET status = 'revoked', revoked_at_ns = ? WHERE key_id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, now_ns).bind(2, key_id);
    return run_update(**update, "the key");
  });
}

Status SqliteMerchantRepository::reserve_key_future(const std::string& key_id, int64_t until_s) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE merchant_keys SET future_reserved_until_s = max(future_reserved_until_s, ?) WHERE key_id = ? "
        "RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, until_s).bind(2, key_id);
    return run_update(**update, "the key");
  });
}

}  // namespace mpay::store::sqlite
