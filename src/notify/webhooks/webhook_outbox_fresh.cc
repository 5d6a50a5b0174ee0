// WebhookOutbox: the fresh lane (fresh_lane.h). New events go to the dispatcher first and are
// stored with their first attempt. The ordinary writes are in webhook_outbox.cc.
#include <spdlog/spdlog.h>

#include "notify/webhooks/delivery_writes_internal.h"
#include "notify/webhooks/webhook_envelope.h"
#include "notify/webhooks/webhook_outbox.h"
#include "store/sqlite/group_commit_writer.h"

namespace mpay::notify::webhooks {
namespace {

using store::sqlite::SqliteDatabase;

// A delivery of a new event, before anything of it is stored.
DueDelivery fresh_delivery(const WebhookEvent& event, const Id128& delivery_id, int64_t now_ns) {
  DueDelivery item;
  item.delivery.id = delivery_id;
  item.delivery.event_id = event.event_id;
  item.delivery.merchant_id = event.merchant_id;
  item.delivery.subject_id = event.subject_id;
  item.delivery.type = event.type;
  item.delivery.created_at_ns = now_ns;
  item.delivery.next_attempt_at_ns = now_ns;
  item.event = event;
  return item;
}

}  // namespace

Status WebhookOutbox::enqueue_fresh(const std::vector<WebhookEvent>& events) {
  if (!on_fresh_work_) return enqueue(events);
  if (events.empty()) return ok_status();
  Status valid = validate_events(events);
  if (!valid.ok()) return valid;
  int64_t now_ns = clock_.now_ns();
  std::vector<DueDelivery> send_now;
  std::vector<DueDelivery> to_store;
  {
    std::lock_guard lock(lane_mutex_);
    for (const WebhookEvent& event : events) {
      DueDelivery item = fresh_delivery(event, ids_.next(), now_ns);
      switch (lane_.admit(item)) {
        case FreshLane::Route::send_now:
          send_now.push_back(std::move(item));
          break;
        case FreshLane::Route::wait:
          break;
        case FreshLane::Route::store:
          to_store.push_back(std::move(item));
          break;
      }
    }
  }
  if (!send_now.empty()) on_fresh_work_(std::move(send_now));
  if (to_store.empty()) return ok_status();
  // Already counted as their subjects' stored pending deliveries (admit), so nothing of those
  // subjects takes the lane before these are written.
  std::vector<const DeliveryRecord*> known;  // events the store had: no delivery was added
  Status stored = writer_->execute([&](SqliteDatabase& db) -> Status {
    std::lock_guard lock(lane_mutex_);
    known.clear();
    for (const DueDelivery& item : to_store) {
      const DeliveryRecord& delivery = item.delivery;
      HeadRule head = lane_.in_flight(delivery.merchant_id, delivery.subject_id)
                          ? HeadRule::never
                          : HeadRule::if_first;
      Result<bool> added = insert_event_and_delivery(db, item.event, delivery.id, now_ns, head);
      if (!added.ok()) return added.error();
      if (!*added) known.push_back(&delivery);
    }
    return ok_status();
  });
  if (!stored.ok()) return stored;
  if (!known.empty()) {
    // admit() counted them as pending in the store: a count nothing would ever bring down keeps
    // the subject out of the fresh lane for good.
    std::lock_guard lock(lane_mutex_);
    for (const DeliveryRecord* delivery : known)
      lane_.stored_pending_finished(delivery->merchant_id, delivery->subject_id);
  }
  if (on_new_work_) on_new_work_();
  return stored;
}

Status WebhookOutbox::record_fresh_outcome_locked(SqliteDatabase& db, const AttemptOutcome& outcome,
                                                  std::vector<FreshLane::AfterAttempt>& steps) {
  const DeliveryRecord& delivery = outcome.delivery;
  bool finished = outcome.status_after != DeliveryStatus::pending;
  FreshLane::AfterAttempt after =
      lane_.attempted(delivery.merchant_id, delivery.subject_id, delivery.id, finished);
  if (!after.attempted) {
    spdlog::warn(
        "webhooks: delivery {} is not in flight in the fresh lane; its outcome is not stored again",
        to_uuid_text(delivery.id));
    return ok_status();
  }
  steps.push_back(std::move(after));  // undone with the others if this write fails
  const FreshLane::AfterAttempt& step = steps.back();
  const DueDelivery& item = *step.attempted;
  Result<bool> event = insert_event(db, item.event);
  if (!event.ok()) return event.error();
  Status inserted = insert_attempted_delivery(db, item.delivery, outcome);
  if (!inserted.ok()) return inserted;
  if (step.promote) {
    Status promoted = finish_and_promote(db, item.delivery);
    if (!promoted.ok()) return promoted;
  }
  return store_from_lane(db, step.store_pending, HeadRule::never);
}

void WebhookOutbox::finish_fresh_steps(const Status& written,
                                       std::vector<FreshLane::AfterAttempt>& steps) {
  if (steps.empty()) return;
  std::vector<DueDelivery> send_next;
  {
    std::lock_guard lock(lane_mutex_);
    if (!written.ok()) {
      for (auto step = steps.rbegin(); step != steps.rend(); ++step)
        lane_.undo_attempted(std::move(*step));
      return;
    }
    for (FreshLane::AfterAttempt& step : steps) {
      if (step.send_next) send_next.push_back(std::move(*step.send_next));
    }
  }
  if (!send_next.empty() && on_fresh_work_) on_fresh_work_(std::move(send_next));
}

Status WebhookOutbox::skip_fresh(const DeliveryRecord& delivery, const std::string& reason,
                                 int64_t now_ns) {
  AttemptOutcome outcome{delivery, AttemptRecord{0, now_ns, 0, reason, 0}, DeliveryStatus::skipped,
                         0};
  std::vector<FreshLane::AfterAttempt> steps;
  Status written = writer_->execute([&](SqliteDatabase& db) -> Status {
    std::lock_guard lock(lane_mutex_);
    return record_fresh_outcome_locked(db, outcome, steps);
  });
  finish_fresh_steps(written, steps);
  return written;
}

}  // namespace mpay::notify::webhooks
