#include "store/sqlite/sqlite_request_repository.h"

#include "store/sqlite/request_terms_row.h"

namespace mpay::store::sqlite {
namespace {

using requests::BankPull;
using requests::CaptureMode;
using requests::MandateRecord;
using requests::RefundRecord;
using requests::RequestTerms;
using StatementResult = Result<std::unique_ptr<Statement>>;

constexpr const char* kSelectBankPulls =
    "SELECT request_id, bank_account_id, reference, started_at_ns FROM payment_bank_pulls ";

BankPull bank_pull_from(const Statement& s) {
  BankPull pull;
  pull.request_id = s.column_id(0);
  pull.bank_account_id = s.column_id(1);
  pull.reference = s.column_text(2);
  pull.started_at_ns = s.column_int64(3);
  return pull;
}

}  // namespace

Status SqliteRequestRepository::insert_request(const RequestTerms& t) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO payment_requests (id, merchant_id, merchant_reference, payer_id, "
        "payer_phone_masked, amount_minor, currency, description, metadata_json, capture, "
        "created_at_ns, expires_at_ns, mandate_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT DO NOTHING RETURNING 1");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    s.bind(1, t.id).bind(2, t.merchant_id).bind(3, t.merchant_reference)
        .bind(4, t.payer_id.value()).bind(5, t.payer_phone_masked).bind(6, t.amount_minor)
        .bind(7, int64_t{t.currency}).bind(8, t.description).bind(9, t.metadata_json)
        .bind(10, std::string(t.capture == CaptureMode::manual ? "manual" : "automatic"))
        .bind(11, t.created_at_ns).bind(12, t.expires_at_ns);
    if (t.mandate_id) {
      s.bind(13, *t.mandate_id);
    } else {
      s.bind_null(13);
    }
    Result<bool> written = s.run_returning();
    if (!written.ok()) return written.error();
    if (!*written) {
      return Error("already_exists", "this merchant already used this merchant_reference",
                   "merchant_reference");
    }
    return ok_status();
  });
}

Status SqliteRequestRepository::insert_refund(const RefundRecord& r) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO payment_refunds (id, request_id, amount_minor, reason, created_at_ns) "
        "VALUES (?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    return (*insert)->bind(1, r.id).bind(2, r.request_id).bind(3, r.amount_minor)
        .bind(4, r.reason).bind(5, r.created_at_ns).run();
  });
}

Status SqliteRequestRepository::insert_mandate(const MandateRecord& m) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO mandates (id, user_id, merchant_id, currency, per_charge_max_minor, "
        "monthly_max_minor, created_at_ns, revoked_at_ns) VALUES (?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    return (*insert)->bind(1, m.id).bind(2, m.user_id.value()).bind(3, m.merchant_id)
        .bind(4, int64_t{m.currency}).bind(5, m.per_charge_max_minor)
        .bind(6, m.monthly_max_minor).bind(7, m.created_at_ns).bind(8, m.revoked_at_ns).run();
  });
}

Status SqliteRequestRepository::revoke_mandate(const Id128& id, int64_t revoked_at_ns) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult update = db.prepare(
        "UPDATE mandates SET revoked_at_ns = ? WHERE id = ? AND revoked_at_ns = 0");
    if (!update.ok()) return update.error();
    return (*update)->bind(1, revoked_at_ns).bind(2, id).run();
  });
}

Status SqliteRequestRepository::set_carrier(const wallet::UserId& user, const std::string& carrier,
                                            int64_t at_ns) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult upsert = db.prepare(
        "INSERT INTO subscriber_carriers (user_id, carrier, updated_at_ns) VALUES (?,?,?) "
        "ON CONFLICT (user_id) DO UPDATE SET carrier = excluded.carrier, "
        "updated_at_ns = excluded.updated_at_ns");
    if (!upsert.ok()) return upsert.error();
    return (*upsert)->bind(1, user.value()).bind(2, carrier).bind(3, at_ns).run();
  });
}

Status SqliteRequestRepository::insert_bank_pull(const BankPull& p) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult insert = db.prepare(
        "INSERT INTO payment_bank_pulls (request_id, bank_account_id, reference, started_at_ns) "
        "VALUES (?,?,?,?) ON CONFLICT (request_id) DO UPDATE SET "
        "bank_account_id = excluded.bank_account_id, reference = excluded.reference, "
        "started_at_ns = excluded.started_at_ns");
    if (!insert.ok()) return insert.error();
    return (*insert)->bind(1, p.request_id).bind(2, p.bank_account_id).bind(3, p.reference)
        .bind(4, p.started_at_ns).run();
  });
}

Status SqliteRequestRepository::delete_bank_pull(const Id128& request_id) {
  return writer_.execute([&](SqliteDatabase& db) -> Status {
    StatementResult remove = db.prepare("DELETE FROM payment_bank_pulls WHERE request_id = ?");
    if (!remove.ok()) return remove.error();
    return (*remove)->bind(1, request_id).run();
  });
}

Result<std::optional<BankPull>> SqliteRequestRepository::bank_pull_of(const Id128& request_id) {
  OpenOptions options;
  options.read_only = true;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(path_, options);
  if (!db.ok()) return db.error();
  StatementResult select = (*db)->prepare(std::string(kSelectBankPulls) + "WHERE request_id = ?");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->bind(1, request_id).step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<BankPull>();
  return std::optional<BankPull>(bank_pull_from(**select));
}

Status SqliteRequestRepository::load(const std::function<void(RequestTerms)>& request,
                                     const std::function<void(RefundRecord)>& refund,
                                     const std::function<void(MandateRecord)>& mandate,
                                     const std::function<void(wallet::UserId, std::string)>& carrier,
                                     const std::function<void(BankPull)>& bank_pull) {
  OpenOptions options;
  options.read_only = true;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(path_, options);
  if (!db.ok()) return db.error();
  Status status =
      each_row(**db,
               std::string("SELECT ") + kRequestTermsColumns +
                   " FROM payment_requests p WHERE NOT EXISTS "
                   "(SELECT 1 FROM payment_request_archive a WHERE a.id = p.id) ORDER BY id",
               [&](const Statement& s) { request(request_terms_from(s)); });
  if (!status.ok()) return status;
  status = each_row(**db,
                    "SELECT id, request_id, amount_minor, reason, created_at_ns "
                    "FROM payment_refunds r WHERE NOT EXISTS "
                    "(SELECT 1 FROM payment_refund_archive a WHERE a.id = r.id) "
                    "ORDER BY id",
                    [&](const Statement& s) {
                      RefundRecord r;
                      r.id = s.column_id(0);
                      r.request_id = s.column_id(1);
                      r.amount_minor = s.column_int64(2);
                      r.reason = s.column_text(3);
                      r.created_at_ns = s.column_int64(4);
                      refund(std::move(r));
                    });
  if (!status.ok()) return status;
  status = each_row(**db,
                    "SELECT id, user_id, merchant_id, currency, per_charge_max_minor, "
                    "monthly_max_minor, created_at_ns, revoked_at_ns FROM mandates ORDER BY id",
                    [&](const Statement& s) {
                      MandateRecord m;
                      m.id = s.column_id(0);
                      m.user_id = wallet::UserId(s.column_id(1));
                      m.merchant_id = s.column_id(2);
                      m.currency = static_cast<uint16_t>(s.column_int64(3));
                      m.per_charge_max_minor = s.column_int64(4);
                      m.monthly_max_minor = s.column_int64(5);
                      m.created_at_ns = s.column_int64(6);
                      m.revoked_at_ns = s.column_int64(7);
                      mandate(std::move(m));
                    });
  if (!status.ok()) return status;
  status = each_row(**db, "SELECT user_id, carrier FROM subscriber_carriers", [&](const Statement& s) {
    carrier(wallet::UserId(s.column_id(0)), s.column_text(1));
  });
  if (!status.ok()) return status;
  return each_row(**db, std::string(kSelectBankPulls) + "ORDER BY started_at_ns",
                  [&](const Statement& s) { bank_pull(bank_pull_from(s)); });
}

}  // namespace mpay::store::sqlite
