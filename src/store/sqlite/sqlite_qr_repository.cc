#include "store/sqlite/sqlite_qr_repository.h"

namespace mpay::store::sqlite {
namespace {

using qr::MerchantCode;
using StatementResult = Result<std::unique_ptr<Statement>>;

// Runs a one-row UPDATE; `missing` is returned when it changed no row.
Status update_one(SqliteDatabase& db, Statement& statement, Error missing) {
  Status ran = statement.run();
  if (!ran.ok()) return ran;
  if (db.changes() != 1) return missing;
  return ok_status();
}

}  // namespace

Status SqliteQrRepository::insert_code(const MerchantCode& c) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO qr_merchant_codes (id, merchant_id, kind, token, payload, currency, "
        "amount_minor, merchant_reference, description, terminal_label, metadata_json, "
        "created_at_ns, expires_at_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (token) DO NOTHING");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    s.bind(1, c.id)
        .bind(2, c.merchant_id)
        .bind(3, qr::kind_name(c.kind))
        .bind(4, c.token)
        .bind(5, c.payload)
        .bind(6, int64_t{c.currency})
        .bind(7, c.amount_minor)
        .bind(8, c.merchant_reference)
        .bind(9, c.description)
        .bind(10, c.terminal_label)
        .bind(11, c.metadata_json)
        .bind(12, c.created_at_ns)
        .bind(13, c.expires_at_ns);
    return update_one(db, s, Error("already_exists", "this code token is taken"));
  });
}

Status SqliteQrRepository::claim_code(const Id128& code_id, const wallet::UserId& user,
                                      int64_t at_ns) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE qr_merchant_codes SET claimed_by = ?, claimed_at_ns = ? "
        "WHERE id = ? AND kind = 'dynamic' AND claimed_by IS NULL");
    if (!update.ok()) return update.error();
    (*update)->bind(1, user.value()).bind(2, at_ns).bind(3, code_id);
    return update_one(db, **update, Error("already_exists", "another user claimed this code"));
  });
}

Status SqliteQrRepository::set_code_request(const Id128& code_id, const Id128& request_id) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare("UPDATE qr_merchant_codes SET request_id = ? WHERE id = ?");
    if (!update.ok()) return update.error();
    (*update)->bind(1, request_id).bind(2, code_id);
    return update_one(db, **update, Error("not_found", "no code has this id"));
  });
}

Status SqliteQrRepository::deactivate_code(const Id128& code_id, int64_t at_ns) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE qr_merchant_codes SET deactivated_at_ns = ? WHERE id = ? AND deactivated_at_ns = "
        "0");
    if (!update.ok()) return update.error();
    (*update)->bind(1, at_ns).bind(2, code_id);
    return (*update)->run();
  });
}

Status SqliteQrRepository::set_payment_code_limit(const wallet::UserId& user, int64_t limit_minor,
                                                  int64_t at_ns) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult upsert = db.prepare(
        "INSERT INTO payment_code_limits (user_id, limit_minor, updated_at_ns) VALUES (?,?,?) "
        "ON CONFLICT (user_id) DO UPDATE SET limit_minor = excluded.limit_minor, "
        "updated_at_ns = excluded.updated_at_ns");
    if (!upsert.ok()) return upsert.error();
    return (*upsert)->bind(1, user.value()).bind(2, limit_minor).bind(3, at_ns).run();
  });
}

Status SqliteQrRepository::load(const std::function<void(MerchantCode)>& code,
                                const std::function<void(wallet::UserId, int64_t)>& limit) {
  OpenOptions options;
  options.read_only = true;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(path_, options);
  if (!db.ok()) return db.error();
  Status codes = each_row(
      **db,
      "SELECT id, merchant_id, kind, token, payload, currency, amount_minor, merchant_reference, "
      "description, terminal_label, metadata_json, created_at_ns, expires_at_ns, "
      "deactivated_at_ns, claimed_by, claimed_at_ns, request_id FROM qr_merchant_codes ORDER BY id",
      [&](const Statement& s) {
        MerchantCode c;
        c.id = s.column_id(0);
        c.merchant_id = s.column_id(1);
        c.kind = qr::kind_from_name(s.column_text(2)).value_or(qr::CodeKind::static_code);
        c.token = s.column_text(3);
        c.payload = s.column_text(4);
        c.currency = static_cast<uint16_t>(s.column_int64(5));
        c.amount_minor = s.column_int64(6);
        c.merchant_reference = s.column_text(7);
        c.description = s.column_text(8);
        c.terminal_label = s.column_text(9);
        c.metadata_json = s.column_text(10);
        c.created_at_ns = s.column_int64(11);
        c.expires_at_ns = s.column_int64(12);
        c.deactivated_at_ns = s.column_int64(13);
        if (!s.column_is_null(14)) c.claimed_by = wallet::UserId(s.column_id(14));
        c.claimed_at_ns = s.column_int64(15);
        if (!s.column_is_null(16)) c.request_id = s.column_id(16);
        code(std::move(c));
      });
  if (!codes.ok()) return codes;
  return each_row(
      **db, "SELECT user_id, limit_minor FROM payment_code_limits",
      [&](const Statement& s) { limit(wallet::UserId(s.column_id(0)), s.column_int64(1)); });
}

}  // namespace mpay::store::sqlite
