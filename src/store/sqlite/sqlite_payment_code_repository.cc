#include "store/sqlite/sqlite_payment_code_repository.h"

#include <limits>

namespace mpay::store::sqlite {
namespace {

using qr::PaymentCodeDevice;
using StatementResult = Result<std::unique_ptr<Statement>>;

std::span<const std::byte> bytes_of(const std::string& text) { return std::as_bytes(std::span(text.data(), text.size())); }

std::string column_bytes(const Statement& statement, int index) {
  std::span<const std::byte> blob = statement.column_blob(index);
  return std::string(reinterpret_cast<const char*>(blob.data()), blob.size());
}

Result<bool> device_number_taken(SqliteDatabase& db, uint32_t device_number) {
  StatementResult select = db.prepare("SELECT 1 FROM payment_code_devices WHERE device_number = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, int64_t{device_number});
  return (*select)->run_returning();
}

}  // namespace

Status SqlitePaymentCodeRepository::insert_device(const PaymentCodeDevice& d) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO payment_code_devices (id, user_id, device_number, label, secret_sealed, created_at_ns, "
        "revoked_at_ns, last_counter, failed_attempts, locked_at_ns) VALUES (?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    (*insert)->bind(1, d.id).bind(2, d.user_id.value()).bind(3, int64_t{d.device_number}).bind(4, d.label)
        .bind_blob(5, bytes_of(d.secret_sealed)).bind(6, d.created_at_ns).bind(7, d.revoked_at_ns)
        .bind(8, static_cast<int64_t>(d.last_counter)).bind(9, int64_t{d.failed_attempts})
        .bind(10, d.locked_at_ns);
    Result<bool> inserted = (*insert)->run_returning();
    if (!inserted.ok()) return inserted.error();
    if (*inserted) return ok_status();
    Result<bool> number_taken = device_number_taken(db, d.device_number);
    if (!number_taken.ok()) return number_taken.error();
    if (*number_taken) return Error("already_exists", "a device has this number", "device_number");
    return Error("already_exists", "a device has this id", "id");
  });
}

Status SqlitePaymentCodeRepository::update_device(const PaymentCodeDevice& d) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE payment_code_devices SET secret_sealed = ?, revoked_at_ns = ?, last_counter = ?, "
        "failed_attempts = ?, locked_at_ns = ? WHERE id = ? RETURNING 1");
    if (!update.ok()) return update.error();
    (*update)->bind_blob(1, bytes_of(d.secret_sealed)).bind(2, d.revoked_at_ns)
        .bind(3, static_cast<int64_t>(d.last_counter)).bind(4, int64_t{d.failed_attempts})
        .bind(5, d.locked_at_ns).bind(6, d.id);
    Result<bool> updated = (*update)->run_returning();
    if (!updated.ok()) return updated.error();
    if (!*updated) return Error("not_found", "no payment-code device has this id", "id");
    return ok_status();
  });
}

Result<std::vector<PaymentCodeDevice>> SqlitePaymentCodeRepository::load_devices() {
  OpenOptions options;
  options.read_only = true;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(path_, options);
  if (!db.ok()) return db.error();
  StatementResult select = (*db)->prepare(
      "SELECT id, user_id, device_number, label, secret_sealed, created_at_ns, revoked_at_ns, last_counter, "
      "failed_attempts, locked_at_ns FROM payment_code_devices ORDER BY created_at_ns, id");
  if (!select.ok()) return select.error();
  std::vector<PaymentCodeDevice> devices;
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    const Statement& s = **select;
    PaymentCodeDevice d;
    d.id = s.column_id(0);
    d.user_id = wallet::UserId(s.column_id(1));
    int64_t number = s.column_int64(2);
    int64_t failed_attempts = s.column_int64(8);
    if (number < 0 || number > std::numeric_limits<uint32_t>::max() || failed_attempts < 0 ||
        failed_attempts > std::numeric_limits<int>::max()) {
      return Error("store_error", "mpay.db holds an unreadable payment_code_devices row");
    }
    d.device_number = static_cast<uint32_t>(number);
    d.label = s.column_text(3);
    d.secret_sealed = column_bytes(s, 4);
    d.created_at_ns = s.column_int64(5);
    d.revoked_at_ns = s.column_int64(6);
    d.last_counter = static_cast<uint64_t>(s.column_int64(7));  // CHECK (last_counter >= 0)
    d.failed_attempts = static_cast<int>(failed_attempts);
    d.locked_at_ns = s.column_int64(9);
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace mpay::store::sqlite
