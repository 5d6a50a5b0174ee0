// WebhookOutbox: opening, and every write (enqueue, replay, attempts, skips, pruning).
// The reads are in webhook_outbox_reads.cc.
#include "notify/webhooks/webhook_outbox.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "notify/webhooks/delivery_writes_internal.h"
#include "notify/webhooks/headless_subjects_internal.h"
#include "notify/webhooks/webhook_envelope.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::notify::webhooks {
namespace {

namespace fs = std::filesystem;
using store::sqlite::GroupCommitWriter;
using store::sqlite::SqliteDatabase;
using store::sqlite::Statement;

std::string healed_key(const Id128& merchant_id, const std::string& subject_id) {
  return to_uuid_text(merchant_id) + "/" + subject_id;
}

}  // namespace

WebhookOutbox::WebhookOutbox(std::unique_ptr<GroupCommitWriter> writer, std::unique_ptr<SqliteDatabase> reader,
                             Clock& clock, UuidV7Generator& ids)
    : writer_(std::move(writer)), reader_(std::move(reader)), clock_(clock), ids_(ids) {}

WebhookOutbox::~WebhookOutbox() {
  std::vector<DueDelivery> left;
  {
    std::lock_guard lock(lane_mutex_);
    left = lane_.take_all();
  }
  if (left.empty()) return;
  // Each subject's delivery in flight first, as its head: what the store has of the subject
  // arrived after it.
  Status stored = writer_->execute_durable(
      [&](SqliteDatabase& db) { return store_from_lane(db, left, HeadRule::always); });
  if (stored.ok()) {
    spdlog::info("webhooks: {} deliveries not yet sent stored as pending", left.size());
  } else {
    spdlog::error(
        "webhooks: {} deliveries not yet sent could not be stored ({}); their events are "
        "republished at the next start",
        left.size(), stored.error().message);
  }
}

Result<std::unique_ptr<WebhookOutbox>> WebhookOutbox::open(const std::string& data_directory,
                                                           Clock& clock, UuidV7Generator& ids,
                                                           OutboxOptions options) {
  std::error_code ec;
  fs::create_directories(data_directory, ec);
  if (ec) return Error("store_error", "cannot create data directory " + data_directory + ": " + ec.message());
  std::string path = (fs::path(data_directory) / kWebhookDatabaseFile).string();
  store::sqlite::OpenOptions writer_options;
  // Commits survive the process being killed; after a power loss the last ones may be gone, which
  // loses no event (producers republish the last day's from the ledger journal, and enqueue ignores
  // known ids) and no delivery (one whose "delivered" was lost is sent again: at least once).
  // Replays, which nothing else would redo, are written with execute_durable().
  writer_options.synchronous_full = false;
  writer_options.cache_kib = 4 * 1024;
  Result<std::unique_ptr<SqliteDatabase>> writer_db = SqliteDatabase::open(path, writer_options);
  if (!writer_db.ok()) return writer_db.error();
  Status migrated = store::sqlite::migrate(**writer_db, store::sqlite::webhook_migrations(), clock.now_ns());
  if (!migrated.ok()) return migrated.error();
  Result<std::vector<HealedSubject>> healed =
      heal_headless_subjects(**writer_db, clock.now_ns() + options.healed_head_grace_ns);
  if (!healed.ok()) return healed.error();
  if (!healed->empty()) {
    spdlog::warn(
        "webhooks: {} payment requests had deliveries pending and none due (a delivery in flight "
        "was lost at a crash); their oldest pending delivery is due again, after the lost event "
        "if the start's republish brings it back",
        healed->size());
  }
  Result<std::vector<PendingSubject>> pending = pending_subjects(**writer_db);
  if (!pending.ok()) return pending.error();
  store::sqlite::OpenOptions reader_options;
  reader_options.read_only = true;
  reader_options.cache_kib = 4 * 1024;
  Result<std::unique_ptr<SqliteDatabase>> reader = SqliteDatabase::open(path, reader_options);
  if (!reader.ok()) return reader.error();
  GroupCommitWriter::Options group_options;
  group_options.synchronous_normal = true;
  // Its writers are few (the event feed and the sending threads), so without a wait every commit
  // held one or two of their writes: 6,000 commits in a 5 s benchmark run, each rewriting the same
  // index pages. Waiting 5 ms made it 470 and the whole request-to-pay run 13-21% faster
  // (docs/performance.md); 20 ms took another 3% off mpayd's CPU per payment (fewer, larger
  // commits). A sending thread waits for its round's record, so a new event may go out up to
  // about 20 ms later than it would have; webhooks promise order and at-least-once, not speed.
  group_options.gather_ns = 20'000'000;
  group_options.thread_name = "webhook-store";
  group_options.thread_nice = options.writer_nice;
  auto writer = std::make_unique<GroupCommitWriter>(std::move(*writer_db), group_options);
  std::unique_ptr<WebhookOutbox> outbox(
      new WebhookOutbox(std::move(writer), std::move(*reader), clock, ids));
  for (const PendingSubject& subject : *pending) {
    outbox->lane_.stored_pending_added(subject.merchant_id, subject.subject_id,
                                       static_cast<size_t>(subject.count));
  }
  outbox->opened_at_ns_ = clock.now_ns();
  for (const HealedSubject& subject : *healed) {
    outbox->healed_heads_[healed_key(subject.merchant_id, subject.subject_id)] = subject.head_seq;
  }
  return outbox;
}

Status WebhookOutbox::enqueue(const std::vector<WebhookEvent>& events) {
  if (events.empty()) return ok_status();
  Status valid = validate_events(events);
  if (!valid.ok()) return valid;
  std::vector<Id128> delivery_ids;
  delivery_ids.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) delivery_ids.push_back(ids_.next());
  int64_t now_ns = clock_.now_ns();
  Status stored = writer_->execute([&](SqliteDatabase& db) -> Status {
    std::lock_guard lock(lane_mutex_);
    std::vector<size_t> inserted;
    for (size_t i = 0; i < events.size(); ++i) {
      const WebhookEvent& event = events[i];
      // Deliveries waiting in the fresh lane arrived before this one: stored first (they leave
      // the lane below, once every write of this unit succeeded). A later event of the same
      // subject in this call finds them stored already: their event ids make that a no-op.
      Status ahead =
          store_from_lane(db, lane_.waiting(event.merchant_id, event.subject_id), HeadRule::never);
      if (!ahead.ok()) return ahead;
      HeadRule head = lane_.in_flight(event.merchant_id, event.subject_id) ? HeadRule::never
                                                                           : HeadRule::if_first;
      auto healed = event.created_at_ns < opened_at_ns_
                        ? healed_heads_.find(healed_key(event.merchant_id, event.subject_id))
                        : healed_heads_.end();
      Result<bool> added = healed == healed_heads_.end()
                               ? insert_event_and_delivery(db, event, delivery_ids[i], now_ns, head)
                               : insert_lost_event(db, event, delivery_ids[i], now_ns,
                                                   healed->second, heads_handed_out_.load());
      if (!added.ok()) return added.error();
      if (*added && healed != healed_heads_.end()) healed_heads_.erase(healed);
      if (*added) inserted.push_back(i);
    }
    for (const WebhookEvent& event : events)
      lane_.yield_waiting(event.merchant_id, event.subject_id);
    for (size_t i : inserted)
      lane_.stored_pending_added(events[i].merchant_id, events[i].subject_id);
    return ok_status();
  });
  if (stored.ok() && on_new_work_) on_new_work_();
  return stored;
}

Result<DeliveryRecord> WebhookOutbox::replay(const Id128& merchant_id, const Id128& delivery_id) {
  Result<std::optional<DeliveryRecord>> original = [&] {
    std::lock_guard lock(reader_mutex_);
    return find_delivery_locked(merchant_id, delivery_id);
  }();
  if (!original.ok()) return original.error();
  if (!original->has_value()) return Error("not_found", "no such webhook delivery", "id");
  const DeliveryRecord& source = **original;
  Id128 id = ids_.next();
  int64_t now_ns = clock_.now_ns();
  bool pruned = false;
  Status stored = writer_->execute_durable([&](SqliteDatabase& db) -> Status {
    // The prune may have taken the event since it was read: a delivery without its event would
    // stay pending forever, never due, and hold up its subject.
    Result<bool> kept = event_exists(db, source.event_id);
    if (!kept.ok()) return kept.error();
    if (!*kept) {
      pruned = true;
      return ok_status();
    }
    std::lock_guard lock(lane_mutex_);
    // Behind everything of the subject, the deliveries waiting in the fresh lane included (they
    // leave the lane once every write of this unit succeeded).
    Status ahead =
        store_from_lane(db, lane_.waiting(source.merchant_id, source.subject_id), HeadRule::never);
    if (!ahead.ok()) return ahead;
    HeadRule head = lane_.in_flight(source.merchant_id, source.subject_id) ? HeadRule::never
                                                                           : HeadRule::if_first;
    Status inserted = insert_delivery(db, id, source.event_id, source.merchant_id,
                                      source.subject_id, source.type, now_ns, source.id, head);
    if (!inserted.ok()) return inserted;
    lane_.yield_waiting(source.merchant_id, source.subject_id);
    lane_.stored_pending_added(source.merchant_id, source.subject_id);
    return ok_status();
  });
  if (!stored.ok()) return stored.error();
  if (pruned) return Error("not_found", "no such webhook delivery", "id");
  if (on_new_work_) on_new_work_();
  std::lock_guard lock(reader_mutex_);
  Result<std::optional<DeliveryRecord>> created = find_delivery_locked(merchant_id, id);
  if (!created.ok()) return created.error();
  if (!created->has_value()) return Error("store_error", "a replayed delivery vanished");
  return **created;
}

Status WebhookOutbox::finish_and_promote(SqliteDatabase& db, const DeliveryRecord& delivery) {
  Result<std::unique_ptr<Statement>> promote = db.prepare(
      "UPDATE webhook_deliveries SET is_head = 1 WHERE seq = (SELECT seq FROM webhook_deliveries"
      " WHERE status = 'pending' AND merchant_id = ? AND subject_id = ? ORDER BY seq LIMIT 1)");
  if (!promote.ok()) return promote.error();
  return (*promote)->bind(1, delivery.merchant_id).bind(2, delivery.subject_id).run();
}

Status WebhookOutbox::record_attempt(const DeliveryRecord& delivery, const AttemptRecord& attempt,
                                     DeliveryStatus status_after, int64_t next_attempt_at_ns) {
  return record_attempts({AttemptOutcome{delivery, attempt, status_after, next_attempt_at_ns}});
}

Result<bool> WebhookOutbox::record_outcome(SqliteDatabase& db, const AttemptOutcome& outcome) {
  const DeliveryRecord& delivery = outcome.delivery;
  const AttemptRecord& attempt = outcome.attempt;
  bool finished = outcome.status_after != DeliveryStatus::pending;
  int64_t finished_at_ns = finished ? attempt.at_ns + attempt.duration_ns : 0;
  int64_t first_attempt_at_ns = delivery.first_attempt_at_ns != 0 ? delivery.first_attempt_at_ns : attempt.at_ns;
  Status inserted = insert_attempt(db, delivery.seq, attempt);
  if (!inserted.ok()) return inserted.error();
  Result<std::unique_ptr<Statement>> update = db.prepare(
      "UPDATE webhook_deliveries SET status = ?, is_head = ?, attempts = ?, first_attempt_at_ns = ?,"
      " next_attempt_at_ns = ?, last_http_status = ?, last_error = ?, finished_at_ns = ?"
      " WHERE seq = ? AND status = 'pending'");
  if (!update.ok()) return update.error();
  Status updated = (*update)
                       ->bind(1, status_name(outcome.status_after))
                       .bind(2, int64_t{finished ? 0 : 1})
                       .bind(3, attempt.number)
                       .bind(4, first_attempt_at_ns)
                       .bind(5, outcome.next_attempt_at_ns)
                       .bind(6, int64_t{attempt.http_status})
                       .bind(7, attempt.error)
                       .bind(8, finished_at_ns)
                       .bind(9, delivery.seq)
                       .run();
  if (!updated.ok()) return updated.error();
  if (!finished || db.changes() == 0) return false;
  Status promoted = finish_and_promote(db, delivery);
  if (!promoted.ok()) return promoted.error();
  return true;
}

Status WebhookOutbox::record_attempts(const std::vector<AttemptOutcome>& outcomes) {
  if (outcomes.empty()) return ok_status();
  std::vector<FreshLane::AfterAttempt> steps;
  std::vector<const DeliveryRecord*> finished;  // stored deliveries this write finished
  Status written = writer_->execute([&](SqliteDatabase& db) -> Status {
    std::lock_guard lock(lane_mutex_);
    for (const AttemptOutcome& outcome : outcomes) {
      if (outcome.delivery.seq == 0) {
        Status recorded = record_fresh_outcome_locked(db, outcome, steps);
        if (!recorded.ok()) return recorded;
        continue;
      }
      Result<bool> recorded = record_outcome(db, outcome);
      if (!recorded.ok()) return recorded.error();
      if (*recorded) finished.push_back(&outcome.delivery);
    }
    return ok_status();
  });
  finish_fresh_steps(written, steps);
  if (!written.ok()) return written;
  // Only once committed: a stored delivery that finished no longer holds its subject back from
  // the fresh lane.
  std::lock_guard lock(lane_mutex_);
  for (const DeliveryRecord* delivery : finished) {
    lane_.stored_pending_finished(delivery->merchant_id, delivery->subject_id);
  }
  return ok_status();
}

Status WebhookOutbox::skip(const DeliveryRecord& delivery, const std::string& reason, int64_t now_ns) {
  if (delivery.seq == 0) return skip_fresh(delivery, reason, now_ns);
  bool skipped = false;
  Status written = writer_->execute([&](SqliteDatabase& db) -> Status {
    Result<std::unique_ptr<Statement>> update = db.prepare(
        "UPDATE webhook_deliveries SET status = 'skipped', is_head = 0, last_error = ?, finished_at_ns = ?"
        " WHERE seq = ? AND status = 'pending'");
    if (!update.ok()) return update.error();
    Status updated = (*update)->bind(1, reason).bind(2, now_ns).bind(3, delivery.seq).run();
    if (!updated.ok()) return updated;
    skipped = db.changes() != 0;
    return finish_and_promote(db, delivery);
  });
  if (written.ok() && skipped) {
    std::lock_guard lock(lane_mutex_);
    lane_.stored_pending_finished(delivery.merchant_id, delivery.subject_id);
  }
  return written;
}

Result<int64_t> WebhookOutbox::prune(int64_t finished_before_ns) {
  int64_t deleted = 0;
  Status pruned = writer_->execute([&](SqliteDatabase& db) -> Status {
    Status prepared = db.exec(
        "CREATE TEMP TABLE IF NOT EXISTS pruned_deliveries (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL);"
        "DELETE FROM pruned_deliveries;");
    if (!prepared.ok()) return prepared;
    Result<std::unique_ptr<Statement>> pick = db.prepare(
        "INSERT INTO pruned_deliveries (seq, event_id) SELECT seq, event_id FROM webhook_deliveries"
        " WHERE status != 'pending' AND finished_at_ns < ?");
    if (!pick.ok()) return pick.error();
    Status picked = (*pick)->bind(1, finished_before_ns).run();
    if (!picked.ok()) return picked;
    deleted = db.changes();
    // An event goes with its last delivery: from then on its id is forgotten (enqueue would
    // accept it as new), which is why retention is days, far longer than any re-derivation.
    return db.exec(
        "DELETE FROM webhook_attempts WHERE delivery_seq IN (SELECT seq FROM pruned_deliveries);"
        "DELETE FROM webhook_deliveries WHERE seq IN (SELECT seq FROM pruned_deliveries);"
        "DELETE FROM webhook_events WHERE event_id IN (SELECT event_id FROM pruned_deliveries)"
        " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.event_id);"
        "DELETE FROM pruned_deliveries;");
  });
  if (!pruned.ok()) return pruned.error();
  return deleted;
}

}  // namespace mpay::notify::webhooks
