#include "store/sqlite/sqlite_wallet_repository.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/check.h"
#include "store/sqlite/migrations.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;
using wallet::AuditEntry;
using wallet::BankAccountRecord;
using wallet::BankOrderKind;
using wallet::BankOrderRecord;
using wallet::BankOrderStatus;
using wallet::Digest;
using wallet::KycLevel;
using wallet::OtpChallenge;
using wallet::SessionRecord;
using wallet::TransferNote;
using wallet::UserId;
using wallet::UserRecord;
using wallet::UserStatus;

using StatementResult = Result<std::unique_ptr<Statement>>;

std::span<const std::byte> bytes_of(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::span<const std::byte> bytes_of(const Digest& digest) { return std::as_bytes(std::span(digest)); }

std::string column_bytes(const Statement& statement, int index) {
  std::span<const std::byte> blob = statement.column_blob(index);
  return std::string(reinterpret_cast<const char*>(blob.data()), blob.size());
}

Error corrupt(const std::string& what) {
  return Error("store_error", "mpay.db holds an unreadable value: " + what);
}

Result<Digest> column_digest(const Statement& statement, int index) {
  std::span<const std::byte> blob = statement.column_blob(index);
  Digest digest{};
  if (blob.size() != digest.size()) return corrupt("a digest that is not 32 bytes");
  std::memcpy(digest.data(), blob.data(), digest.size());
  return digest;
}

Error not_found(const std::string& what) { return Error("not_found", what + " does not exist"); }

// Runs an UPDATE ... RETURNING 1 and turns "no row" into not_found.
Status run_update(Statement& statement, const std::string& what) {
  Result<bool> updated = statement.run_returning();
  if (!updated.ok()) return updated.error();
  if (!*updated) return not_found(what);
  return ok_status();
}

// --- enum codes, as stored ---------------------------------------------------------------------

const char* status_text(UserStatus status) {
  switch (status) {
    case UserStatus::active: return "active";
    case UserStatus::frozen: return "frozen";
  }
  MPAY_CHECK(false, "unknown UserStatus");
  return "";
}

std::optional<UserStatus> parse_user_status(const std::string& text) {
  if (text == "active") return UserStatus::active;
  if (text == "frozen") return UserStatus::frozen;
  return std::nullopt;
}

const char* kind_text(BankOrderKind kind) {
  switch (kind) {
    case BankOrderKind::top_up: return "top_up";
    case BankOrderKind::withdrawal: return "withdrawal";
  }
  MPAY_CHECK(false, "unknown BankOrderKind");
  return "";
}

std::optional<BankOrderKind> parse_kind(const std::string& text) {
  if (text == "top_up") return BankOrderKind::top_up;
  if (text == "withdrawal") return BankOrderKind::withdrawal;
  return std::nullopt;
}

const char* order_status_text(BankOrderStatus status) {
  switch (status) {
    case BankOrderStatus::pending: return "pending";
    case BankOrderStatus::confirmed: return "confirmed";
    case BankOrderStatus::declined: return "declined";
    case BankOrderStatus::timed_out: return "timed_out";
  }
  MPAY_CHECK(false, "unknown BankOrderStatus");
  return "";
}

std::optional<BankOrderStatus> parse_order_status(const std::string& text) {
  if (text == "pending") return BankOrderStatus::pending;
  if (text == "confirmed") return BankOrderStatus::confirmed;
  if (text == "declined") return BankOrderStatus::declined;
  if (text == "timed_out") return BankOrderStatus::timed_out;
  return std::nullopt;
}

// --- rows --------------------------------------------------------------------------------------

constexpr const char* kUserColumns =
    "id, phone_digest, phone_key_id, phone_sealed, wallet_account_id, currency, kyc_level, status, "
    "full_name_sealed, document_type, document_sealed, document_masked, birth_date, pin_key_id, "
    "pin_digest, pin_failures, pin_locked_until_ns, created_at_ns";

Result<UserRecord> read_user(const Statement& row) {
  UserRecord user;
  user.id = UserId(row.column_id(0));
  Result<Digest> phone = column_digest(row, 1);
  if (!phone.ok()) return phone.error();
  user.phone_digest = *phone;
  user.phone_key_id = static_cast<uint32_t>(row.column_int64(2));
  user.phone_sealed = column_bytes(row, 3);
  user.wallet_account_id = AccountId(row.column_id(4));
  user.currency = static_cast<uint16_t>(row.column_int64(5));
  int64_t level = row.column_int64(6);
  if (level < 0 || level > static_cast<int64_t>(KycLevel::bank_linked)) return corrupt("kyc_level");
  user.kyc_level = static_cast<KycLevel>(level);
  std::optional<UserStatus> status = parse_user_status(row.column_text(7));
  if (!status) return corrupt("users.status");
  user.status = *status;
  user.full_name_sealed = column_bytes(row, 8);
  user.document_type = row.column_text(9);
  user.document_sealed = column_bytes(row, 10);
  user.document_masked = row.column_text(11);
  user.birth_date = row.column_text(12);
  user.pin_key_id = static_cast<uint32_t>(row.column_int64(13));
  Result<Digest> pin = column_digest(row, 14);
  if (!pin.ok()) return pin.error();
  user.pin_digest = *pin;
  user.pin_failures = static_cast<int>(row.column_int64(15));
  user.pin_locked_until_ns = row.column_int64(16);
  user.created_at_ns = row.column_int64(17);
  return user;
}

// Steps a SELECT that yields at most one row and reads it with `read`.
template <typename T, typename Read>
Result<std::optional<T>> read_one(Statement& statement, Read read) {
  Result<bool> row = statement.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<T>();
  Result<T> value = read(statement);
  if (!value.ok()) return value.error();
  return std::optional<T>(std::move(*value));
}

template <typename T, typename Read>
Result<std::vector<T>> read_all(Statement& statement, Read read) {
  std::vector<T> values;
  while (true) {
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (!*row) return values;
    Result<T> value = read(statement);
    if (!value.ok()) return value.error();
    values.push_back(std::move(*value));
  }
}

Result<SessionRecord> read_session(const Statement& row) {
  SessionRecord session;
  Result<Digest> token = column_digest(row, 0);
  if (!token.ok()) return token.error();
  session.token_digest = *token;
  session.user_id = UserId(row.column_id(1));
  Result<Digest> device = column_digest(row, 2);
  if (!device.ok()) return device.error();
  session.device_digest = *device;
  session.created_at_ns = row.column_int64(3);
  session.expires_at_ns = row.column_int64(4);
  return session;
}

Result<OtpChallenge> read_otp(const Statement& row) {
  OtpChallenge challenge;
  Result<Digest> phone = column_digest(row, 0);
  if (!phone.ok()) return phone.error();
  challenge.phone_digest = *phone;
  challenge.purpose = row.column_text(1);
  Result<Digest> code = column_digest(row, 2);
  if (!code.ok()) return code.error();
  challenge.code_digest = *code;
  challenge.expires_at_ns = row.column_int64(3);
  challenge.attempts = static_cast<int>(row.column_int64(4));
  challenge.consumed = row.column_int64(5) != 0;
  return challenge;
}

constexpr const char* kBankAccountColumns =
    "id, user_id, bank_code, bank_account_token, masked_number, created_at_ns";

Result<BankAccountRecord> read_bank_account(const Statement& row) {
  BankAccountRecord account;
  account.id = row.column_id(0);
  account.user_id = UserId(row.column_id(1));
  account.bank_code = row.column_text(2);
  account.bank_account_token = row.column_text(3);
  account.masked_number = row.column_text(4);
  account.created_at_ns = row.column_int64(5);
  return account;
}

constexpr const char* kBankOrderColumns =
    "reference, kind, user_id, bank_account_id, amount_minor, currency, ledger_transfer_id, "
    "status, decline_code, created_at_ns, updated_at_ns";

Result<BankOrderRecord> read_bank_order(const Statement& row) {
  BankOrderRecord order;
  order.reference = row.column_text(0);
  std::optional<BankOrderKind> kind = parse_kind(row.column_text(1));
  if (!kind) return corrupt("bank_orders.kind");
  order.kind = *kind;
  order.user_id = UserId(row.column_id(2));
  order.bank_account_id = row.column_id(3);
  order.amount_minor = row.column_int64(4);
  order.currency = static_cast<uint16_t>(row.column_int64(5));
  order.ledger_transfer_id = TransferId(row.column_id(6));
  std::optional<BankOrderStatus> status = parse_order_status(row.column_text(7));
  if (!status) return corrupt("bank_orders.status");
  order.status = *status;
  order.decline_code = row.column_text(8);
  order.created_at_ns = row.column_int64(9);
  order.updated_at_ns = row.column_int64(10);
  return order;
}

Result<AuditEntry> read_audit(const Statement& row, int first) {
  AuditEntry entry;
  entry.at_ns = row.column_int64(first);
  entry.actor = row.column_text(first + 1);
  entry.action = row.column_text(first + 2);
  entry.target = row.column_text(first + 3);
  entry.remote_address = row.column_text(first + 4);
  entry.request_id = row.column_text(first + 5);
  entry.details = row.column_text(first + 6);
  return entry;
}

// --- the audit chain ---------------------------------------------------------------------------

void append_u64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void append_field(std::string& out, const std::string& field) {
  MPAY_CHECK(field.size() <= std::numeric_limits<uint32_t>::max(), "audit field too long");
  uint32_t size = static_cast<uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xFF));
  out += field;
}

// The canonical encoding that is hashed: a version tag, seq and at_ns as 8 bytes big-endian, each
// text field as a 4-byte big-endian length and its bytes (so no two entries encode alike), then
// the previous entry's hash. Changing it breaks every existing chain: add a new tag instead.
Result<Digest> audit_hash(int64_t seq, const AuditEntry& entry, const Digest& prev_hash) {
  std::string encoded = "mpay.audit.v1";
  encoded.push_back('\0');
  append_u64(encoded, static_cast<uint64_t>(seq));
  append_u64(encoded, static_cast<uint64_t>(entry.at_ns));
  append_field(encoded, entry.actor);
  append_field(encoded, entry.action);
  append_field(encoded, entry.target);
  append_field(encoded, entry.remote_address);
  append_field(encoded, entry.request_id);
  append_field(encoded, entry.details);
  encoded.append(reinterpret_cast<const char*>(prev_hash.data()), prev_hash.size());
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(encoded.data(), encoded.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    return Error("store_error", "SHA-256 failed");
  }
  return digest;
}

int64_t window_start(int64_t now_ns, int64_t window_ns) {
  int64_t start = now_ns / window_ns * window_ns;
  if (start > now_ns) start -= window_ns;  // floor, not truncation, for times before 1970
  return start;
}

}  // namespace

// --- connections -------------------------------------------------------------------------------

Result<std::unique_ptr<SqliteWalletRepository>> SqliteWalletRepository::open(
    const std::string& data_directory, Clock& clock) {
  std::error_code ec;
  fs::create_directories(data_directory, ec);
  if (ec) {
    return Error("store_error", "cannot create data directory " + data_directory + ": " + ec.message());
  }
  std::string path = (fs::path(data_directory) / "mpay.db").string();
  OpenOptions writer_options;
  writer_options.synchronous_full = true;  // acknowledged state: durable before the call returns
  Result<std::unique_ptr<SqliteDatabase>> writer_db = SqliteDatabase::open(path, writer_options);
  if (!writer_db.ok()) return writer_db.error();
  Status migrated = migrate(**writer_db, main_migrations(), clock.now_ns());
  if (!migrated.ok()) return migrated.error();

  std::unique_ptr<SqliteWalletRepository> repository(new SqliteWalletRepository());
  Status readers = repository->readers_.open(path, kReaderConnections);
  if (!readers.ok()) return readers.error();
  repository->writer_ =
      std::make_unique<GroupCommitWriter>(std::move(*writer_db), GroupCommitWriter::Options{});
  return repository;
}

SqliteWalletRepository::~SqliteWalletRepository() = default;

// --- users -------------------------------------------------------------------------------------

Status SqliteWalletRepository::insert_user(const UserRecord& user) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(std::string("INSERT INTO users (") + kUserColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        " ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    Statement& statement = **insert;
    statement.bind(1, user.id.value())
        .bind_blob(2, bytes_of(user.phone_digest))
        .bind(3, int64_t{user.phone_key_id})
        .bind_blob(4, bytes_of(user.phone_sealed))
        .bind(5, user.wallet_account_id.value())
        .bind(6, int64_t{user.currency})
        .bind(7, int64_t{static_cast<int>(user.kyc_level)})
        .bind(8, std::string_view(status_text(user.status)))
        .bind_blob(9, bytes_of(user.full_name_sealed))
        .bind(10, user.document_type)
        .bind_blob(11, bytes_of(user.document_sealed))
        .bind(12, user.document_masked)
        .bind(13, user.birth_date)
        .bind(14, int64_t{user.pin_key_id})
        .bind_blob(15, bytes_of(user.pin_digest))
        .bind(16, int64_t{user.pin_failures})
        .bind(17, user.pin_locked_until_ns)
        .bind(18, user.created_at_ns);
    Result<bool> inserted = statement.run_returning();
    if (!inserted.ok()) return inserted.error();
    if (*inserted) return ok_status();
    // Say which rule was broken; only on this (rare) path.
    StatementResult phone = db.prepare("SELECT 1 FROM users WHERE phone_digest = ?");
    if (!phone.ok()) return phone.error();
    Result<bool> phone_taken = (*phone)->bind_blob(1, bytes_of(user.phone_digest)).step();
    if (!phone_taken.ok()) return phone_taken.error();
    if (*phone_taken) return Error("already_exists", "a user has this phone number", "phone");
    StatementResult id = db.prepare("SELECT 1 FROM users WHERE id = ?");
    if (!id.ok()) return id.error();
    Result<bool> id_taken = (*id)->bind(1, user.id.value()).step();
    if (!id_taken.ok()) return id_taken.error();
    if (*id_taken) return Error("already_exists", "a user has this id", "id");
    return Error("already_exists", "a user has this wallet account", "wallet_account_id");
  });
}

Result<std::optional<UserRecord>> SqliteWalletRepository::find_user(const UserId& id) {
  ReaderLease reader = borrow_reader();
  StatementResult select =
      reader->prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, id.value());
  return read_one<UserRecord>(**select, read_user);
}

Result<std::optional<UserRecord>> SqliteWalletRepository::find_user_by_phone(const Digest& phone_digest) {
  ReaderLease reader = borrow_reader();
  StatementResult select =
      reader->prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE phone_digest = ?");
  if (!select.ok()) return select.error();
  (*select)->bind_blob(1, bytes_of(phone_digest));
  return read_one<UserRecord>(**select, read_user);
}

Result<std::optional<UserRecord>> SqliteWalletRepository::find_user_by_wallet(const AccountId& account) {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(std::string("SELECT ") + kUserColumns +
                                           " FROM users WHERE wallet_account_id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, account.value());
  return read_one<UserRecord>(**select, read_user);
}

Status SqliteWalletRepository::update_pin(const UserId& id, uint32_t key_id, const Digest& digest) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update =
        db.prepare("UPDATE users SET pin_key_id = ?, pin_digest = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, int64_t{key_id}).bind_blob(2, bytes_of(digest)).bind(3, id.value());
    return run_update(**update, "user " + id.to_string());
  });
}

Status SqliteWalletRepository::update_pin_failures(const UserId& id, int failures,
                                                   int64_t locked_until_ns) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE users SET pin_failures = ?, pin_locked_until_ns = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, int64_t{failures}).bind(2, locked_until_ns).bind(3, id.value());
    return run_update(**update, "user " + id.to_string());
  });
}

Status SqliteWalletRepository::update_status(const UserId& id, UserStatus status) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare("UPDATE users SET status = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind(1, std::string_view(status_text(status))).bind(2, id.value());
    return run_update(**update, "user " + id.to_string());
  });
}

Status SqliteWalletRepository::update_kyc(const UserRecord& user) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE users SET kyc_level = ?, full_name_sealed = ?, document_type = ?, "
        "document_sealed = ?, document_masked = ?, birth_date = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)
        ->bind(1, int64_t{static_cast<int>(user.kyc_level)})
        .bind_blob(2, bytes_of(user.full_name_sealed))
        .bind(3, user.document_type)
        .bind_blob(4, bytes_of(user.document_sealed))
        .bind(5, user.document_masked)
        .bind(6, user.birth_date)
        .bind(7, user.id.value());
    return run_update(**update, "user " + user.id.to_string());
  });
}

// --- one-time codes and rate counters ----------------------------------------------------------

Status SqliteWalletRepository::put_otp(const OtpChallenge& challenge) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult put = db.prepare(
        "INSERT OR REPLACE INTO otp_challenges "
        "(phone_digest, purpose, code_digest, expires_at_ns, attempts, consumed) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!put.ok()) return put.error();
    return (*put)
        ->bind_blob(1, bytes_of(challenge.phone_digest))
        .bind(2, challenge.purpose)
        .bind_blob(3, bytes_of(challenge.code_digest))
        .bind(4, challenge.expires_at_ns)
        .bind(5, int64_t{challenge.attempts})
        .bind(6, int64_t{challenge.consumed ? 1 : 0})
        .run();
  });
}

Result<std::optional<OtpChallenge>> SqliteWalletRepository::find_otp(const Digest& phone_digest,
                                                                      const std::string& purpose) {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(
      "SELECT phone_digest, purpose, code_digest, expires_at_ns, attempts, consumed "
      "FROM otp_challenges WHERE phone_digest = ? AND purpose = ?");
  if (!select.ok()) return select.error();
  (*select)->bind_blob(1, bytes_of(phone_digest)).bind(2, purpose);
  return read_one<OtpChallenge>(**select, read_otp);
}

Status SqliteWalletRepository::update_otp(const OtpChallenge& challenge) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE otp_challenges SET attempts = ?, consumed = ? "
        "WHERE phone_digest = ? AND purpose = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)
        ->bind(1, int64_t{challenge.attempts})
        .bind(2, int64_t{challenge.consumed ? 1 : 0})
        .bind_blob(3, bytes_of(challenge.phone_digest))
        .bind(4, challenge.purpose);
    return run_update(**update, "one-time code for " + challenge.purpose);
  });
}

Result<int> SqliteWalletRepository::count_rate(const std::string& key, int64_t window_ns,
                                               int64_t now_ns) {
  MPAY_CHECK(window_ns > 0, "count_rate needs a positive window");
  int64_t start_ns = window_start(now_ns, window_ns);
  int64_t end_ns = start_ns > std::numeric_limits<int64_t>::max() - window_ns
                       ? std::numeric_limits<int64_t>::max()
                       : start_ns + window_ns;
  bool sweep = rate_calls_.fetch_add(1, std::memory_order_relaxed) % kRateSweepEvery == 0;
  int count = 0;
  Status status = writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult forget = db.prepare(
        "DELETE FROM rate_counters WHERE key = ? AND window_start_ns < ?");
    if (!forget.ok()) return forget.error();
    Status forgotten = (*forget)->bind(1, key).bind(2, start_ns).run();
    if (!forgotten.ok()) return forgotten;
    if (sweep) {
      StatementResult expired = db.prepare("DELETE FROM rate_counters WHERE window_end_ns <= ?");
      if (!expired.ok()) return expired.error();
      Status swept = (*expired)->bind(1, now_ns).run();
      if (!swept.ok()) return swept;
    }
    StatementResult upsert = db.prepare(
        "INSERT INTO rate_counters (key, window_start_ns, window_end_ns, count) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (key, window_start_ns) DO UPDATE SET count = count + 1 RETURNING count");
    if (!upsert.ok()) return upsert.error();
    Statement& statement = **upsert;
    statement.bind(1, key).bind(2, start_ns).bind(3, end_ns);
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (!*row) return Error("store_error", "rate counter upsert returned no row");
    count = static_cast<int>(std::min<int64_t>(statement.column_int64(0),
                                               std::numeric_limits<int>::max()));
    Result<bool> done = statement.run_returning();
    if (!done.ok()) return done.error();
    return ok_status();
  });
  if (!status.ok()) return status.error();
  return count;
}

// --- sessions and devices ----------------------------------------------------------------------

Status SqliteWalletRepository::insert_session(const SessionRecord& session) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO sessions (token_digest, user_id, device_digest, created_at_ns, expires_at_ns) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    (*insert)
        ->bind_blob(1, bytes_of(session.token_digest))
        .bind(2, session.user_id.value())
        .bind_blob(3, bytes_of(session.device_digest))
        .bind(4, session.created_at_ns)
        .bind(5, session.expires_at_ns);
    Result<bool> inserted = (*insert)->run_returning();
    if (!inserted.ok()) return inserted.error();
    if (!*inserted) return Error("already_exists", "a session has this token", "token_digest");
    return ok_status();
  });
}

Result<std::optional<SessionRecord>> SqliteWalletRepository::find_session(const Digest& token_digest) {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(
      "SELECT token_digest, user_id, device_digest, created_at_ns, expires_at_ns "
      "FROM sessions WHERE token_digest = ?");
  if (!select.ok()) return select.error();
  (*select)->bind_blob(1, bytes_of(token_digest));
  return read_one<SessionRecord>(**select, read_session);
}

Status SqliteWalletRepository::delete_session(const Digest& token_digest) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult remove = db.prepare("DELETE FROM sessions WHERE token_digest = ?");
    if (!remove.ok()) return remove.error();
    return (*remove)->bind_blob(1, bytes_of(token_digest)).run();
  });
}

Status SqliteWalletRepository::delete_sessions_of(const UserId& user) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult remove = db.prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!remove.ok()) return remove.error();
    return (*remove)->bind(1, user.value()).run();
  });
}

Result<bool> SqliteWalletRepository::device_known(const UserId& user, const Digest& device_digest) {
  ReaderLease reader = borrow_reader();
  StatementResult select =
      reader->prepare("SELECT 1 FROM devices WHERE user_id = ? AND device_digest = ?");
  if (!select.ok()) return select.error();
  return (*select)->bind(1, user.value()).bind_blob(2, bytes_of(device_digest)).step();
}

Status SqliteWalletRepository::add_device(const UserId& user, const Digest& device_digest,
                                          int64_t now_ns) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO devices (user_id, device_digest, first_seen_ns) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    if (!insert.ok()) return insert.error();
    return (*insert)->bind(1, user.value()).bind_blob(2, bytes_of(device_digest)).bind(3, now_ns).run();
  });
}

// --- transfer notes ----------------------------------------------------------------------------

Status SqliteWalletRepository::insert_note(const TransferNote& note) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO transfer_notes (transfer_id, note_sealed) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!insert.ok()) return insert.error();
    return (*insert)->bind(1, note.transfer_id.value()).bind_blob(2, bytes_of(note.note_sealed)).run();
  });
}

Result<std::vector<TransferNote>> SqliteWalletRepository::find_notes(const std::vector<TransferId>& ids) {
  std::vector<TransferNote> notes;
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare("SELECT note_sealed FROM transfer_notes WHERE transfer_id = ?");
  if (!select.ok()) return select.error();
  Statement& statement = **select;
  size_t count = std::min(ids.size(), kFindNotesMax);
  for (size_t i = 0; i < count; ++i) {
    statement.bind(1, ids[i].value());
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (*row) notes.push_back(TransferNote{ids[i], column_bytes(statement, 0)});
    statement.reset();
  }
  return notes;
}

// --- bank accounts and orders ------------------------------------------------------------------

Status SqliteWalletRepository::insert_bank_account(const BankAccountRecord& account) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(std::string("INSERT INTO bank_accounts (") +
                                        kBankAccountColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    (*insert)
        ->bind(1, account.id)
        .bind(2, account.user_id.value())
        .bind(3, account.bank_code)
        .bind(4, account.bank_account_token)
        .bind(5, account.masked_number)
        .bind(6, account.created_at_ns);
    Result<bool> inserted = (*insert)->run_returning();
    if (!inserted.ok()) return inserted.error();
    if (!*inserted) return Error("already_exists", "a bank account has this id", "id");
    return ok_status();
  });
}

Result<std::vector<BankAccountRecord>> SqliteWalletRepository::bank_accounts_of(const UserId& user) {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(std::string("SELECT ") + kBankAccountColumns +
                                           " FROM bank_accounts WHERE user_id = ?"
                                           " ORDER BY created_at_ns, id");
  if (!select.ok()) return select.error();
  (*select)->bind(1, user.value());
  return read_all<BankAccountRecord>(**select, read_bank_account);
}

Result<std::optional<BankAccountRecord>> SqliteWalletRepository::find_bank_account(const Id128& id) {
  ReaderLease reader = borrow_reader();
  StatementResult select =
      reader->prepare(std::string("SELECT ") + kBankAccountColumns + " FROM bank_accounts WHERE id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, id);
  return read_one<BankAccountRecord>(**select, read_bank_account);
}

Status SqliteWalletRepository::insert_bank_order(const BankOrderRecord& order) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(std::string("INSERT INTO bank_orders (") + kBankOrderColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        " ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    (*insert)
        ->bind(1, order.reference)
        .bind(2, std::string_view(kind_text(order.kind)))
        .bind(3, order.user_id.value())
        .bind(4, order.bank_account_id)
        .bind(5, order.amount_minor)
        .bind(6, int64_t{order.currency})
        .bind(7, order.ledger_transfer_id.value())
        .bind(8, std::string_view(order_status_text(order.status)))
        .bind(9, order.decline_code)
        .bind(10, order.created_at_ns)
        .bind(11, order.updated_at_ns);
    Result<bool> inserted = (*insert)->run_returning();
    if (!inserted.ok()) return inserted.error();
    if (!*inserted) return Error("already_exists", "a bank order has this reference", "reference");
    return ok_status();
  });
}

Status SqliteWalletRepository::update_bank_order(const BankOrderRecord& order) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE bank_orders SET status = ?, decline_code = ?, updated_at_ns = ? "
        "WHERE reference = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)
        ->bind(1, std::string_view(order_status_text(order.status)))
        .bind(2, order.decline_code)
        .bind(3, order.updated_at_ns)
        .bind(4, order.reference);
    return run_update(**update, "bank order " + order.reference);
  });
}

Result<std::optional<BankOrderRecord>> SqliteWalletRepository::find_bank_order(const std::string& reference) {
  ReaderLease reader = borrow_reader();
  StatementResult select =
      reader->prepare(std::string("SELECT ") + kBankOrderColumns + " FROM bank_orders WHERE reference = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, reference);
  return read_one<BankOrderRecord>(**select, read_bank_order);
}

Result<std::vector<BankOrderRecord>> SqliteWalletRepository::pending_bank_orders() {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(std::string("SELECT ") + kBankOrderColumns +
                                           " FROM bank_orders WHERE status = 'pending'"
                                           " ORDER BY created_at_ns");
  if (!select.ok()) return select.error();
  return read_all<BankOrderRecord>(**select, read_bank_order);
}

// --- audit -------------------------------------------------------------------------------------

Status SqliteWalletRepository::append_audit(const AuditEntry& entry) {
  return writer_->execute([&](SqliteDatabase& db) -> Status {
    // On the writer's connection, inside the group transaction: sees the entries appended by
    // earlier units of the same transaction, so the chain stays linear.
    StatementResult last = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last.ok()) return last.error();
    Result<bool> row = (*last)->step();
    if (!row.ok()) return row.error();
    int64_t seq = 1;
    Digest prev_hash{};
    if (*row) {
      seq = (*last)->column_int64(0) + 1;
      Result<Digest> hash = column_digest(**last, 1);
      if (!hash.ok()) return hash.error();
      prev_hash = *hash;
    }
    (*last)->reset();
    Result<Digest> hash = audit_hash(seq, entry, prev_hash);
    if (!hash.ok()) return hash.error();
    StatementResult insert = db.prepare(
        "INSERT INTO audit_log (seq, at_ns, actor, action, target, remote_address, request_id, "
        "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    return (*insert)
        ->bind(1, seq)
        .bind(2, entry.at_ns)
        .bind(3, entry.actor)
        .bind(4, entry.action)
        .bind(5, entry.target)
        .bind(6, entry.remote_address)
        .bind(7, entry.request_id)
        .bind(8, entry.details)
        .bind_blob(9, bytes_of(prev_hash))
        .bind_blob(10, bytes_of(*hash))
        .run();
  });
}

Result<std::vector<AuditEntry>> SqliteWalletRepository::recent_audit(size_t limit) {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(
      "SELECT at_ns, actor, action, target, remote_address, request_id, details "
      "FROM audit_log ORDER BY seq DESC LIMIT ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, static_cast<int64_t>(std::min(limit, kRecentAuditMax)));
  return read_all<AuditEntry>(**select, [](const Statement& row) { return read_audit(row, 0); });
}

Status SqliteWalletRepository::verify_audit_chain() {
  ReaderLease reader = borrow_reader();
  StatementResult select = reader->prepare(
      "SELECT seq, at_ns, actor, action, target, remote_address, request_id, details, prev_hash, "
      "hash FROM audit_log ORDER BY seq");
  if (!select.ok()) return select.error();
  Statement& statement = **select;
  Digest expected_prev{};
  while (true) {
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (!*row) return ok_status();
    int64_t seq = statement.column_int64(0);
    auto broken = [seq](const std::string& why) {
      return Error("audit_chain_broken", "audit entry seq " + std::to_string(seq) + ": " + why);
    };
    Result<AuditEntry> entry = read_audit(statement, 1);
    if (!entry.ok()) return entry.error();
    std::span<const std::byte> prev_hash = statement.column_blob(8);
    std::span<const std::byte> stored_hash = statement.column_blob(9);
    if (prev_hash.size() != expected_prev.size() || stored_hash.size() != expected_prev.size()) {
      return broken("a hash is not 32 bytes");
    }
    if (std::memcmp(prev_hash.data(), expected_prev.data(), expected_prev.size()) != 0) {
      return broken("prev_hash does not match the previous entry (an entry was removed or changed)");
    }
    Result<Digest> computed = audit_hash(seq, *entry, expected_prev);
    if (!computed.ok()) return computed.error();
    if (std::memcmp(stored_hash.data(), computed->data(), computed->size()) != 0) {
      return broken("the entry does not match its hash (it was changed)");
    }
    expected_prev = *computed;
  }
}

}  // namespace mpay::store::sqlite
