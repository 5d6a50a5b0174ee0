#include "notify/webhooks/headless_subjects_internal.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "notify/webhooks/delivery_writes_internal.h"

namespace mpay::notify::webhooks {

using store::sqlite::SqliteDatabase;
using store::sqlite::Statement;

Result<std::vector<HealedSubject>> heal_headless_subjects(SqliteDatabase& db, int64_t due_at_ns) {
  std::vector<HealedSubject> healed;
  Status written = store::sqlite::in_transaction(db, [&]() -> Status {
    Result<std::unique_ptr<Statement>> select = db.prepare(
        "SELECT seq, merchant_id, subject_id FROM webhook_deliveries WHERE seq IN"
        " (SELECT min(seq) FROM webhook_deliveries WHERE status = 'pending'"
        " GROUP BY merchant_id, subject_id HAVING max(is_head) = 0)");
    if (!select.ok()) return select.error();
    while (true) {
      Result<bool> row = (*select)->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      healed.push_back(
          {(*select)->column_id(1), (*select)->column_text(2), (*select)->column_int64(0)});
    }
    (*select)->reset();
    for (const HealedSubject& subject : healed) {
      Result<std::unique_ptr<Statement>> update = db.prepare(
          "UPDATE webhook_deliveries SET is_head = 1,"
          " next_attempt_at_ns = max(next_attempt_at_ns, ?) WHERE seq = ?");
      if (!update.ok()) return update.error();
      Status updated = (*update)->bind(1, due_at_ns).bind(2, subject.head_seq).run();
      if (!updated.ok()) return updated;
    }
    return ok_status();
  });
  if (!written.ok()) return written.error();
  return healed;
}

Result<bool> insert_lost_event(SqliteDatabase& db, const WebhookEvent& event,
                               const Id128& delivery_id, int64_t now_ns, int64_t healed_head_seq,
                               bool heads_handed_out) {
  Result<bool> fresh = insert_event(db, event);
  if (!fresh.ok() || !*fresh) return fresh;
  // Never attempted (only a head is), so it is due again from its creation once it is head.
  Result<std::unique_ptr<Statement>> demote = db.prepare(
      "UPDATE webhook_deliveries SET is_head = 0, next_attempt_at_ns = created_at_ns"
      " WHERE seq = ? AND status = 'pending' AND is_head = 1 AND attempts = 0"
      " AND next_attempt_at_ns > ?");
  if (!demote.ok()) return demote.error();
  // Nobody can hold a head before the first read of the due ones.
  const int64_t held_if_due_by = heads_handed_out ? now_ns : std::numeric_limits<int64_t>::min();
  Status demoted = (*demote)->bind(1, healed_head_seq).bind(2, held_if_due_by).run();
  if (!demoted.ok()) return demoted.error();
  bool ahead = db.changes() != 0;
  if (!ahead) {
    spdlog::warn(
        "webhooks: {} was in flight at a crash and came back after its subject's next delivery "
        "was due; it is sent after that one",
        event.event_id);
  }
  Status inserted = insert_delivery(db, delivery_id, event.event_id, event.merchant_id,
                                    event.subject_id, event.type, now_ns, std::nullopt,
                                    ahead ? HeadRule::always : HeadRule::if_first);
  if (!inserted.ok()) return inserted.error();
  return true;
}

}  // namespace mpay::notify::webhooks
