// Internal to src/notify/webhooks: the rows the outbox writes (events, deliveries, attempts), for
// its ordinary path (webhook_outbox.cc) and its fresh lane (webhook_outbox_fresh.cc). Each runs
// on the outbox writer's connection, inside a GroupCommitWriter unit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "notify/webhooks/delivery_records.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::notify::webhooks {

// Whether a new pending delivery is its subject's head (the only one of the subject that is due).
enum class HeadRule : int64_t {
  never = 0,     // something of its subject is ahead of it, in the fresh lane or in the store
  if_first = 1,  // when no other delivery of its subject is pending in the store
  always = 2,  // it was in flight from the fresh lane: what the store has of the subject came later
};

// A pending delivery of a stored event.
Status insert_delivery(store::sqlite::SqliteDatabase& db, const Id128& id,
                       const std::string& event_id, const Id128& merchant_id,
                       const std::string& subject_id, const std::string& type, int64_t now_ns,
                       const std::optional<Id128>& replay_of, HeadRule head);

// The event, unless its id is known (enqueue is idempotent). Returns whether it was new.
Result<bool> insert_event(store::sqlite::SqliteDatabase& db, const WebhookEvent& event);

// Whether the event is stored (the prune removes an event with its last delivery).
Result<bool> event_exists(store::sqlite::SqliteDatabase& db, const std::string& event_id);

// A new event and its pending delivery; nothing for a known event. Returns whether it was new.
Result<bool> insert_event_and_delivery(store::sqlite::SqliteDatabase& db, const WebhookEvent& event,
                                       const Id128& delivery_id, int64_t now_ns, HeadRule head);

Status insert_attempt(store::sqlite::SqliteDatabase& db, int64_t delivery_seq,
                      const AttemptRecord& attempt);

// A delivery from the fresh lane, written for the first time, in the state `outcome` left it in
// (attempt.number 0: skipped without an attempt, attempt.error the reason, attempt.at_ns when),
// with its attempt. Its event must be stored already.
Status insert_attempted_delivery(store::sqlite::SqliteDatabase& db, const DeliveryRecord& delivery,
                                 const AttemptOutcome& outcome);

// Deliveries from the fresh lane, stored as pending in the order given (each with its event):
// the first of each run of one subject by `first_of_subject`, the rest behind it.
Status store_from_lane(store::sqlite::SqliteDatabase& db, const std::vector<DueDelivery>& items,
                       HeadRule first_of_subject);

// Pending deliveries per (merchant, subject).
struct PendingSubject {
  Id128 merchant_id;
  std::string subject_id;
  int64_t count = 0;
};
Result<std::vector<PendingSubject>> pending_subjects(store::sqlite::SqliteDatabase& db);

}  // namespace mpay::notify::webhooks
