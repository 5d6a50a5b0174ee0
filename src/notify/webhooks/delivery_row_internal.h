// Internal to src/notify/webhooks: the delivery columns every query selects, and turning a row
// of them into a DeliveryRecord.
#pragma once

#include "notify/webhooks/delivery_records.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::notify::webhooks {

inline constexpr const char* kDeliveryColumns =
    "d.seq, d.id, d.event_id, d.merchant_id, d.subject_id, d.type, d.status, d.attempts, "
    "d.first_attempt_at_ns, d.next_attempt_at_ns, d.last_http_status, d.last_error, "
    "d.created_at_ns, d.finished_at_ns, d.replay_of";
inline constexpr int kDeliveryColumnCount = 15;

DeliveryRecord delivery_from_row(const store::sqlite::Statement& row);

}  // namespace mpay::notify::webhooks
