#include "notify/webhooks/delivery_writes_internal.h"

namespace mpay::notify::webhooks {

using store::sqlite::SqliteDatabase;
using store::sqlite::Statement;

namespace {

// ?3 merchant and ?4 subject feed both the row and the head test; ?8 is the HeadRule.
constexpr const char* kInsertDelivery =
    "INSERT INTO webhook_deliveries (id, event_id, merchant_id, subject_id, type, status, is_head,"
    " attempts, first_attempt_at_ns, next_attempt_at_ns, last_http_status, last_error,"
    " created_at_ns, finished_at_ns, replay_of)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 'pending', CASE ?8 WHEN 0 THEN 0 WHEN 2 THEN 1 ELSE NOT EXISTS"
    " (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND merchant_id = ?3 AND"
    " subject_id = ?4) END, 0, 0, ?6, 0, '', ?6, 0, ?7)";

}  // namespace

Status insert_delivery(SqliteDatabase& db, const Id128& id, const std::string& event_id,
                       const Id128& merchant_id, const std::string& subject_id,
                       const std::string& type, int64_t now_ns,
                       const std::optional<Id128>& replay_of, HeadRule head) {
  Result<std::unique_ptr<Statement>> insert = db.prepare(kInsertDelivery);
  if (!insert.ok()) return insert.error();
  Statement& statement = **insert;
  statement.bind(1, id)
      .bind(2, event_id)
      .bind(3, merchant_id)
      .bind(4, subject_id)
      .bind(5, type)
      .bind(6, now_ns);
  if (replay_of) {
    statement.bind(7, *replay_of);
  } else {
    statement.bind_null(7);
  }
  statement.bind(8, static_cast<int64_t>(head));
  return statement.run();
}

Result<bool> event_exists(SqliteDatabase& db, const std::string& event_id) {
  Result<std::unique_ptr<Statement>> select =
      db.prepare("SELECT 1 FROM webhook_events WHERE event_id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, event_id);
  return (*select)->step();
}

Result<bool> insert_event(SqliteDatabase& db, const WebhookEvent& event) {
  Result<std::unique_ptr<Statement>> insert = db.prepare(
      "INSERT OR IGNORE INTO webhook_events (event_id, merchant_id, subject_id, type, payload_json,"
      " created_at_ns) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  Status inserted = (*insert)
                        ->bind(1, event.event_id)
                        .bind(2, event.merchant_id)
                        .bind(3, event.subject_id)
                        .bind(4, event.type)
                        .bind(5, event.payload_json)
                        .bind(6, event.created_at_ns)
                        .run();
  if (!inserted.ok()) return inserted.error();
  return db.changes() != 0;
}

Result<bool> insert_event_and_delivery(SqliteDatabase& db, const WebhookEvent& event,
                                       const Id128& delivery_id, int64_t now_ns, HeadRule head) {
  Result<bool> fresh = insert_event(db, event);
  if (!fresh.ok() || !*fresh) return fresh;
  Status inserted = insert_delivery(db, delivery_id, event.event_id, event.merchant_id,
                                    event.subject_id, event.type, now_ns, std::nullopt, head);
  if (!inserted.ok()) return inserted.error();
  return true;
}

Status insert_attempt(SqliteDatabase& db, int64_t delivery_seq, const AttemptRecord& attempt) {
  Result<std::unique_ptr<Statement>> insert = db.prepare(
      "INSERT OR REPLACE INTO webhook_attempts (delivery_seq, number, at_ns, http_status, error, "
      "duration_ns)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  return (*insert)
      ->bind(1, delivery_seq)
      .bind(2, attempt.number)
      .bind(3, attempt.at_ns)
      .bind(4, int64_t{attempt.http_status})
      .bind(5, attempt.error)
      .bind(6, attempt.duration_ns)
      .run();
}

Status insert_attempted_delivery(SqliteDatabase& db, const DeliveryRecord& delivery,
                                 const AttemptOutcome& outcome) {
  const AttemptRecord& attempt = outcome.attempt;
  bool attempted = attempt.number != 0;
  bool finished = outcome.status_after != DeliveryStatus::pending;
  int64_t finished_at_ns = !finished   ? 0
                           : attempted ? attempt.at_ns + attempt.duration_ns
                                       : attempt.at_ns;
  Result<std::unique_ptr<Statement>> insert = db.prepare(
      "INSERT INTO webhook_deliveries (id, event_id, merchant_id, subject_id, type, status, "
      "is_head,"
      " attempts, first_attempt_at_ns, next_attempt_at_ns, last_http_status, last_error,"
      " created_at_ns, finished_at_ns, replay_of)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)");
  if (!insert.ok()) return insert.error();
  Status inserted = (*insert)
                        ->bind(1, delivery.id)
                        .bind(2, delivery.event_id)
                        .bind(3, delivery.merchant_id)
                        .bind(4, delivery.subject_id)
                        .bind(5, delivery.type)
                        .bind(6, status_name(outcome.status_after))
                        .bind(7, int64_t{finished ? 0 : 1})  // still pending: the subject's head
                        .bind(8, attempt.number)
                        .bind(9, attempted ? attempt.at_ns : 0)
                        .bind(10, outcome.next_attempt_at_ns)
                        .bind(11, int64_t{attempt.http_status})
                        .bind(12, attempt.error)
                        .bind(13, delivery.created_at_ns)
                        .bind(14, finished_at_ns)
                        .run();
  if (!inserted.ok() || !attempted) return inserted;
  return insert_attempt(db, db.last_insert_rowid(), attempt);
}

Status store_from_lane(SqliteDatabase& db, const std::vector<DueDelivery>& items,
                       HeadRule first_of_subject) {
  for (size_t i = 0; i < items.size(); ++i) {
    const DeliveryRecord& delivery = items[i].delivery;
    bool first = i == 0 || items[i - 1].delivery.merchant_id != delivery.merchant_id ||
                 items[i - 1].delivery.subject_id != delivery.subject_id;
    Result<bool> stored =
        insert_event_and_delivery(db, items[i].event, delivery.id, delivery.created_at_ns,
                                  first ? first_of_subject : HeadRule::never);
    if (!stored.ok()) return stored.error();
  }
  return ok_status();
}

Result<std::vector<PendingSubject>> pending_subjects(SqliteDatabase& db) {
  Result<std::unique_ptr<Statement>> select = db.prepare(
      "SELECT merchant_id, subject_id, count(*) FROM webhook_deliveries WHERE status = 'pending'"
      " GROUP BY merchant_id, subject_id");
  if (!select.ok()) return select.error();
  std::vector<PendingSubject> subjects;
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    subjects.push_back(
        {(*select)->column_id(0), (*select)->column_text(1), (*select)->column_int64(2)});
  }
  return subjects;
}

}  // namespace mpay::notify::webhooks
