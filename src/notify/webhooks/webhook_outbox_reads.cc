// WebhookOutbox: the reads (the deliveries API and the dispatcher's due list), on the reader
// connection. The writes are in webhook_outbox.cc.
#include "notify/webhooks/webhook_outbox.h"

#include <algorithm>

#include "notify/webhooks/delivery_row_internal.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::notify::webhooks {
namespace {

using store::sqlite::SqliteDatabase;
using store::sqlite::Statement;

std::string select_deliveries(const std::string& where_and_order) {
  return std::string("SELECT ") + kDeliveryColumns + " FROM webhook_deliveries d " + where_and_order;
}

Result<std::vector<DeliveryRecord>> collect(Statement& statement, size_t max) {
  std::vector<DeliveryRecord> records;
  while (records.size() < max) {
    Result<bool> row = statement.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    records.push_back(delivery_from_row(statement));
  }
  return records;
}

Result<std::optional<int64_t>> seq_of(SqliteDatabase& db, const Id128& merchant_id, const Id128& delivery_id) {
  Result<std::unique_ptr<Statement>> select =
      db.prepare("SELECT seq FROM webhook_deliveries WHERE id = ? AND merchant_id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, delivery_id).bind(2, merchant_id);
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*select)->column_int64(0));
}

// The first column of the first row of `sql`, a number; none when there is no row.
Result<std::optional<int64_t>> first_number(SqliteDatabase& db, const char* sql) {
  Result<std::unique_ptr<Statement>> select = db.prepare(sql);
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*select)->column_int64(0));
}

}  // namespace

Result<std::optional<DeliveryRecord>> WebhookOutbox::find_delivery_locked(const Id128& merchant_id,
                                                                          const Id128& delivery_id) {
  Result<std::unique_ptr<Statement>> select =
      reader_->prepare(select_deliveries("WHERE d.id = ? AND d.merchant_id = ?"));
  if (!select.ok()) return select.error();
  (*select)->bind(1, delivery_id).bind(2, merchant_id);
  Result<std::vector<DeliveryRecord>> found = collect(**select, 1);
  if (!found.ok()) return found.error();
  if (found->empty()) return std::optional<DeliveryRecord>();
  return std::optional<DeliveryRecord>(std::move(found->front()));
}

Result<std::optional<DeliveryDetail>> WebhookOutbox::find(const Id128& merchant_id, const Id128& delivery_id) {
  std::lock_guard lock(reader_mutex_);
  Result<std::optional<DeliveryRecord>> delivery = find_delivery_locked(merchant_id, delivery_id);
  if (!delivery.ok()) return delivery.error();
  if (!delivery->has_value()) return std::optional<DeliveryDetail>();
  DeliveryDetail detail{std::move(**delivery), {}};
  Result<std::unique_ptr<Statement>> select = reader_->prepare(
      "SELECT number, at_ns, http_status, error, duration_ns FROM webhook_attempts"
      " WHERE delivery_seq = ? ORDER BY number LIMIT ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, detail.delivery.seq).bind(2, static_cast<int64_t>(kAttemptsShownMax));
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Statement& s = **select;
    detail.attempts.push_back(AttemptRecord{s.column_int64(0), s.column_int64(1),
                                            static_cast<unsigned>(s.column_int64(2)), s.column_text(3),
                                            s.column_int64(4)});
  }
  return std::optional<DeliveryDetail>(std::move(detail));
}

Result<DeliveryPage> WebhookOutbox::list(const DeliveryQuery& query) {
  size_t limit = std::clamp<size_t>(query.limit, 1, kDeliveriesPageMax);
  std::lock_guard lock(reader_mutex_);
  std::optional<int64_t> before_seq;
  if (query.after) {
    Result<std::optional<int64_t>> seq = seq_of(*reader_, query.merchant_id, *query.after);
    if (!seq.ok()) return seq.error();
    if (!seq->has_value()) return Error("cursor_invalid", "after must be the id of one of your deliveries", "after");
    before_seq = **seq;
  }
  // Numbered parameters, so every variant binds the same way whatever it leaves out.
  std::string where = "WHERE d.merchant_id = ?1";
  if (query.subject_id) where += " AND d.subject_id = ?2";
  if (query.status) where += " AND d.status = ?3";
  if (before_seq) where += " AND d.seq < ?4";
  Result<std::unique_ptr<Statement>> select = reader_->prepare(select_deliveries(where + " ORDER BY d.seq DESC LIMIT ?5"));
  if (!select.ok()) return select.error();
  Statement& statement = **select;
  statement.bind(1, query.merchant_id);
  if (query.subject_id) statement.bind(2, *query.subject_id);
  if (query.status) statement.bind(3, status_name(*query.status));
  if (before_seq) statement.bind(4, *before_seq);
  statement.bind(5, static_cast<int64_t>(limit + 1));  // one more tells whether a next page exists
  Result<std::vector<DeliveryRecord>> rows = collect(statement, limit + 1);
  if (!rows.ok()) return rows.error();
  DeliveryPage page;
  page.items = std::move(*rows);
  if (page.items.size() > limit) {
    page.items.pop_back();
    page.next_after = page.items.back().id;
  }
  return page;
}

Result<std::vector<DueDelivery>> WebhookOutbox::due(int64_t now_ns, size_t limit) {
  heads_handed_out_.store(true);
  std::lock_guard lock(reader_mutex_);
  Result<std::unique_ptr<Statement>> select = reader_->prepare(
      std::string("SELECT ") + kDeliveryColumns +
      ", e.payload_json, e.created_at_ns FROM webhook_deliveries d JOIN webhook_events e USING (event_id)"
      " WHERE d.status = 'pending' AND d.is_head = 1 AND d.next_attempt_at_ns <= ?"
      " ORDER BY d.next_attempt_at_ns, d.seq LIMIT ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, now_ns).bind(2, static_cast<int64_t>(limit));
  std::vector<DueDelivery> due;
  while (due.size() < limit) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    DueDelivery item;
    item.delivery = delivery_from_row(**select);
    item.event.event_id = item.delivery.event_id;
    item.event.merchant_id = item.delivery.merchant_id;
    item.event.subject_id = item.delivery.subject_id;
    item.event.type = item.delivery.type;
    item.event.payload_json = (*select)->column_text(kDeliveryColumnCount);
    item.event.created_at_ns = (*select)->column_int64(kDeliveryColumnCount + 1);
    due.push_back(std::move(item));
  }
  return due;
}

Result<std::optional<int64_t>> WebhookOutbox::next_due_at_ns() {
  std::lock_guard lock(reader_mutex_);
  return first_number(
      *reader_,
      "SELECT next_attempt_at_ns FROM webhook_deliveries"
      " WHERE status = 'pending' AND is_head = 1 ORDER BY next_attempt_at_ns LIMIT 1");
}

Result<int64_t> WebhookOutbox::pending_count() {
  std::lock_guard lock(reader_mutex_);
  Result<std::unique_ptr<Statement>> select =
      reader_->prepare("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  int64_t stored = (*select)->column_int64(0);
  std::lock_guard lane_lock(lane_mutex_);
  return stored + static_cast<int64_t>(lane_.size());
}

Result<std::optional<int64_t>> WebhookOutbox::newest_event_at_ns() {
  std::lock_guard lock(reader_mutex_);
  // The last row inserted (rowids grow; pruning removes only old events): no scan.
  return first_number(*reader_,
                      "SELECT created_at_ns FROM webhook_events ORDER BY rowid DESC LIMIT 1");
}

}  // namespace mpay::notify::webhooks
