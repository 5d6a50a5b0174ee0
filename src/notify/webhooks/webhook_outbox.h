// The durable queue of webhook deliveries, in DATA/webhooks.db (its own SQLite file, schema
// store::sqlite::webhook_migrations()), and the records the deliveries API shows.
//
// enqueue() is idempotent by event id: an event id already known is a no-op (the first event's
// content wins), so producers may re-derive and re-enqueue events after a crash. Each new event
// gets one delivery; replay() adds another delivery of an event. Deliveries of one (merchant,
// subject) are sent strictly in arrival order: only the oldest pending one (the subject's "head")
// is ever due, and the next becomes the head when it is delivered, fails or is skipped.
//
// Writes go through a GroupCommitWriter (WAL): concurrent callers share one transaction, and each
// call returns once its write is committed. Commits survive the process being killed; a power
// loss may take the last second's (synchronous=NORMAL), which loses nothing: the producers
// republish the last day's events from the ledger journal at start (enqueue ignores known ids),
// and a delivery whose outcome was lost is sent again (at least once). replay(), which nothing
// would redo, is synced to disk before it returns. One enqueue() call is one transaction however
// many events it carries. Reads use their own connection.
//
// Retention: prune() deletes finished deliveries (delivered, failed, skipped) older than a given
// time, with their attempts and the events no delivery refers to any more; the dispatcher calls
// it (30 days by default). Pending deliveries are never pruned.
//
// Fresh events (enqueue_fresh: events never stored before, live from the producer) take a fast
// lane (fresh_lane.h): they are handed to the dispatcher before anything is written, and stored
// once, with their first attempt, in the state it left them in; the deliveries API shows them
// from then on (a few milliseconds later). Order per subject holds across both ways in; the lane
// is written out as pending when the outbox closes, and a crash loses nothing either, since the
// producers republish the last day's events at start.
//
// Thread-safe; calls block on SQLite. Errors: "store_error" (SQLite failed), "event_invalid"
// (enqueue, `field` names the part), "not_found" (replay/find of another merchant's or an unknown
// delivery), "cursor_invalid" (list with an unknown `after`), "store_busy".
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "notify/webhooks/delivery_records.h"
#include "notify/webhooks/fresh_lane.h"
#include "notify/webhooks/webhook_event.h"

namespace mpay::store::sqlite {
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace mpay::store::sqlite

namespace mpay::notify::webhooks {

inline constexpr std::string_view kWebhookDatabaseFile = "webhooks.db";

struct OutboxOptions {
  // The nice value of the outbox's writer thread (core/thread_priority.h): nobody waits for its
  // writes but the webhooks themselves, so it may yield the CPU to the payment path.
  int writer_nice = 0;
  // How long a head healed at open (headless_subjects_internal.h) waits for the event that was in
  // flight at the crash, which the producers' republish at start brings back to go first: longer
  // than a start takes, short enough for the rare event that never comes back. (A republish that
  // comes later still goes first if nothing has read the due heads yet.)
  int64_t healed_head_grace_ns = 10LL * 60 * 1'000'000'000;
};

class WebhookOutbox {
 public:
  // Creates the directory and DATA/webhooks.db if needed and applies the webhook migrations.
  // Repairs subjects a crash left with pending deliveries and no head
  // (headless_subjects_internal.h): the first event of such a subject that enqueue() stores goes
  // ahead of them (the one lost in flight). `clock` and `ids` must outlive the outbox.
  static Result<std::unique_ptr<WebhookOutbox>> open(const std::string& data_directory,
                                                     Clock& clock, UuidV7Generator& ids,
                                                     OutboxOptions options = {});
  ~WebhookOutbox();  // writes the fresh lane out as pending; waits for writes already queued
  WebhookOutbox(const WebhookOutbox&) = delete;
  WebhookOutbox& operator=(const WebhookOutbox&) = delete;

  // Stores the new events (at most kEnqueueBatchMax) and one pending delivery for each, in one
  // transaction; known event ids are skipped. Validates every event first: one invalid event
  // rejects the whole call.
  Status enqueue(const std::vector<WebhookEvent>& events);
  // Events that were never enqueued before (validated like enqueue()): each subject's new events
  // go to the dispatcher through on_fresh_work, one at a time, unless the subject has deliveries
  // pending in the store, or the lane is full, when they are stored like enqueue() does. Without
  // an on_fresh_work callback this is enqueue().
  Status enqueue_fresh(const std::vector<WebhookEvent>& events);

  // A new pending delivery of the event `delivery_id` carried, behind the subject's pending ones.
  Result<DeliveryRecord> replay(const Id128& merchant_id, const Id128& delivery_id);

  // The deliveries API's reads; a merchant sees only its own.
  Result<DeliveryPage> list(const DeliveryQuery& query);
  Result<std::optional<DeliveryDetail>> find(const Id128& merchant_id, const Id128& delivery_id);

  // --- For the dispatcher ---
  // Up to `limit` subject heads whose next attempt is due at now_ns, soonest first.
  Result<std::vector<DueDelivery>> due(int64_t now_ns, size_t limit);
  // When the soonest head is due, or nullopt when nothing is pending.
  Result<std::optional<int64_t>> next_due_at_ns();
  // Records an attempt of a pending delivery and its new state: still pending until
  // `next_attempt_at_ns`, or delivered / failed (finished at attempt.at_ns + duration). A
  // delivery from the fresh lane (seq 0) is stored here for the first time; the next one of its
  // subject then goes to on_fresh_work. If the write fails, the lane is as before and the
  // attempt may be recorded again.
  Status record_attempt(const DeliveryRecord& delivery, const AttemptRecord& attempt,
                        DeliveryStatus status_after, int64_t next_attempt_at_ns);
  // The same for several deliveries (of different subjects) in one transaction: all or none.
  Status record_attempts(const std::vector<AttemptOutcome>& outcomes);
  // Marks a pending delivery skipped without an attempt (the merchant has no URL or no secret);
  // one from the fresh lane is stored as skipped.
  Status skip(const DeliveryRecord& delivery, const std::string& reason, int64_t now_ns);
  // Deletes finished deliveries that finished before `finished_before_ns`; returns how many.
  Result<int64_t> prune(int64_t finished_before_ns);
  // Pending deliveries, those in the fresh lane included.
  Result<int64_t> pending_count();
  // The created_at_ns of the event stored last (nullopt when none is): at start, events newer
  // than about this may have been in the fresh lane when the process died.
  Result<std::optional<int64_t>> newest_event_at_ns();

  // Called (on the caller's thread) after enqueue() or replay() stored something: how the
  // dispatcher learns of new work without polling. Set once, before use.
  void set_on_new_work(std::function<void()> on_new_work) { on_new_work_ = std::move(on_new_work); }
  // Called (on the caller's thread, no lock held) with fresh deliveries to send now, each the
  // only one of its subject in flight; their attempts come back through record_attempts() or
  // skip(). Set once, before use (WebhookDispatcher::offer).
  void set_on_fresh_work(std::function<void(std::vector<DueDelivery>)> on_fresh_work) {
    on_fresh_work_ = std::move(on_fresh_work);
  }

 private:
  WebhookOutbox(std::unique_ptr<store::sqlite::GroupCommitWriter> writer,
                std::unique_ptr<store::sqlite::SqliteDatabase> reader, Clock& clock, UuidV7Generator& ids);
  Result<std::optional<DeliveryRecord>> find_delivery_locked(const Id128& merchant_id, const Id128& delivery_id);
  Status finish_and_promote(store::sqlite::SqliteDatabase& db, const DeliveryRecord& delivery);
  // Returns whether it finished a delivery that was pending (the fresh lane's counts follow).
  Result<bool> record_outcome(store::sqlite::SqliteDatabase& db, const AttemptOutcome& outcome);
  // The fresh lane's part of record_attempts() and skip() (webhook_outbox_fresh.cc): the
  // delivery's first row, in the state `outcome` left it in (attempt.number 0: skipped,
  // attempt.error the reason), and the subject's next step, kept in `steps` (the caller holds
  // lane_mutex_).
  Status record_fresh_outcome_locked(store::sqlite::SqliteDatabase& db,
                                     const AttemptOutcome& outcome,
                                     std::vector<FreshLane::AfterAttempt>& steps);
  Status skip_fresh(const DeliveryRecord& delivery, const std::string& reason, int64_t now_ns);
  // After the write that held `steps`: the next deliveries go to on_fresh_work, or, if it
  // failed, the lane is put back as it was.
  void finish_fresh_steps(const Status& written, std::vector<FreshLane::AfterAttempt>& steps);

  std::unique_ptr<store::sqlite::GroupCommitWriter> writer_;
  std::mutex reader_mutex_;
  std::unique_ptr<store::sqlite::SqliteDatabase> reader_;
  Clock& clock_;
  UuidV7Generator& ids_;
  std::function<void()> on_new_work_;
  std::function<void(std::vector<DueDelivery>)> on_fresh_work_;
  std::mutex lane_mutex_;
  FreshLane lane_;
  // Subjects healed at open whose lost event has not come back: key (merchant and subject, as
  // healed_key() writes it) to the healed head's seq. Guarded by lane_mutex_. Only events that
  // happened before the open (`opened_at_ns_`) can be the lost one.
  std::unordered_map<std::string, int64_t> healed_heads_;
  int64_t opened_at_ns_ = 0;
  // Whether due() handed out any heads since the open: until then no healed head can be held by
  // a dispatcher, so the lost event takes the head back however late it comes (mpayd starts its
  // dispatcher only after the start's republish is stored).
  std::atomic<bool> heads_handed_out_{false};
};

}  // namespace mpay::notify::webhooks
