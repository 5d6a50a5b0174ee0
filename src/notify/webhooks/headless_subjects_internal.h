// Internal to src/notify/webhooks: subjects a crash left with pending deliveries and no head.
//
// A delivery in flight from the fresh lane is stored only with its attempt, and what its subject
// gets in the store meanwhile (a replay, later events) is stored behind it, not as the head. A
// process killed before that attempt is recorded leaves the subject with pending deliveries none
// of which is the head, so none would ever be due. At open, each such subject's oldest pending
// delivery becomes its head (heal_headless_subjects), due only after a grace period: the
// producers' republish at start brings the lost event back, and since it is older than everything
// pending of its subject, it takes the head from the healed one (insert_lost_event). If the lost
// event never comes (a power loss took more), the healed head goes out after the grace period.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "notify/webhooks/delivery_records.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::notify::webhooks {

struct HealedSubject {
  Id128 merchant_id;
  std::string subject_id;
  int64_t head_seq = 0;  // the delivery made head
};

// In one transaction (call it outside any): every subject with pending deliveries and no pending
// head gets its oldest pending delivery as head, due no earlier than `due_at_ns`.
Result<std::vector<HealedSubject>> heal_headless_subjects(store::sqlite::SqliteDatabase& db,
                                                          int64_t due_at_ns);

// The first event of a healed subject that the store does not have: the one that was in flight.
// Stores it with a delivery that takes the head from `healed_head_seq`, unless that one is due
// already at `now_ns` and `heads_handed_out` (a dispatcher may hold it: then it goes behind, and
// the order of the two is lost, which is logged). Nothing for a known event. Returns whether it
// was new.
Result<bool> insert_lost_event(store::sqlite::SqliteDatabase& db, const WebhookEvent& event,
                               const Id128& delivery_id, int64_t now_ns, int64_t healed_head_seq,
                               bool heads_handed_out);

}  // namespace mpay::notify::webhooks
