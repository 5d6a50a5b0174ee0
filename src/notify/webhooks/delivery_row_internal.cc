#include "notify/webhooks/delivery_row_internal.h"

namespace mpay::notify::webhooks {

DeliveryRecord delivery_from_row(const store::sqlite::Statement& row) {
  DeliveryRecord record;
  record.seq = row.column_int64(0);
  record.id = row.column_id(1);
  record.event_id = row.column_text(2);
  record.merchant_id = row.column_id(3);
  record.subject_id = row.column_text(4);
  record.type = row.column_text(5);
  // The table's CHECK admits only the four names.
  record.status = parse_status(row.column_text(6)).value_or(DeliveryStatus::pending);
  record.attempts = row.column_int64(7);
  record.first_attempt_at_ns = row.column_int64(8);
  record.next_attempt_at_ns = row.column_int64(9);
  record.last_http_status = static_cast<unsigned>(row.column_int64(10));
  record.last_error = row.column_text(11);
  record.created_at_ns = row.column_int64(12);
  record.finished_at_ns = row.column_int64(13);
  if (!row.column_is_null(14)) record.replay_of = row.column_id(14);
  return record;
}

}  // namespace mpay::notify::webhooks
