#include "notify/webhooks/webhook_dispatcher.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/ids.h"
#include "core/thread_priority.h"
#include "notify/webhooks/webhook_envelope.h"
#include "notify/webhooks/webhook_signature.h"

namespace mpay::notify::webhooks {

WebhookDispatcher::WebhookDispatcher(WebhookOutbox& outbox, WebhookEndpoints& endpoints,
                                     WebhookTransport& transport, Clock& clock, RandomSource& random,
                                     DispatcherOptions options)
    : outbox_(outbox),
      endpoints_(endpoints),
      transport_(transport),
      clock_(clock),
      schedule_(options.retry, random),
      options_(options) {
  MPAY_CHECK(options_.concurrency >= 1 && options_.concurrency <= kConcurrencyMax,
             "webhook concurrency out of range");
  MPAY_CHECK(options_.threads >= 1, "webhook sending threads must be at least 1");
  options_.threads =
      std::min(options_.threads, options_.concurrency);  // a thread has an attempt or more
  MPAY_CHECK(options_.batch_max >= 1 && options_.batch_max <= kBatchMax, "webhook batch_max out of range");
  MPAY_CHECK(options_.thread_nice >= 0 && options_.thread_nice <= kNiceMax,
             "webhook thread_nice out of range");
  MPAY_CHECK(options_.attempt_timeout_ns > 0 && options_.poll_interval_ns > 0 &&
                 options_.slow_attempt_ns > 0,
             "webhook timings must be positive");
}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  std::lock_guard lock(mutex_);
  MPAY_CHECK(!started_, "WebhookDispatcher::start called twice");
  started_ = true;
  last_prune_at_ns_ = 0;
  scheduler_ = std::thread([this] {
    name_and_lower_this_thread("webhook-sched");
    schedule_loop();
  });
  for (size_t i = 0; i < options_.threads; ++i) {
    workers_.emplace_back([this, main = i == 0] {
      name_and_lower_this_thread("webhook-send");
      work_loop(main);
    });
  }
}

void WebhookDispatcher::name_and_lower_this_thread(const char* name) const {
  pthread_setname_np(pthread_self(), name);
  if (options_.thread_nice != 0 && !set_current_thread_nice(options_.thread_nice)) {
    spdlog::warn("webhooks: could not lower the {} thread's priority to nice {}", name,
                 options_.thread_nice);
  }
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  scheduler_cv_.notify_all();
  worker_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

void WebhookDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  scheduler_cv_.notify_one();
}

void WebhookDispatcher::offer(std::vector<DueDelivery> fresh) {
  if (fresh.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    for (DueDelivery& item : fresh) queue_.push_back(std::move(item));
  }
  worker_cv_.notify_all();  // the main thread and the spares wait for different merchants
}

DispatcherStats WebhookDispatcher::stats() const {
  return {attempts_.load(), delivered_.load(), failed_.load(), skipped_.load(), retries_scheduled_.load()};
}

void WebhookDispatcher::schedule_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    dispatch_due_locked(lock);
    int64_t now_ns = clock_.now_ns();
    if (now_ns - last_prune_at_ns_ >= options_.prune_every_ns) {
      last_prune_at_ns_ = now_ns;
      lock.unlock();  // a write: workers finishing attempts need not wait for it
      Result<int64_t> pruned = outbox_.prune(now_ns - options_.retention_ns);
      lock.lock();
      if (!pruned.ok()) spdlog::warn("webhooks: pruning old deliveries failed: {}", pruned.error().message);
    }
    scheduler_cv_.wait_for(lock, std::chrono::nanoseconds(options_.poll_interval_ns),
                           [this] { return woken_ || stopping_; });
    woken_ = false;
  }
}

// Holds the mutex across the read and the hand-over, and workers take it to leave in_flight_:
// a delivery whose attempt was recorded after this read began is still in in_flight_ here, so a
// stale row of it can never be dispatched twice.
void WebhookDispatcher::dispatch_due_locked(std::unique_lock<std::mutex>& lock) {
  (void)lock;
  size_t room = options_.concurrency * options_.batch_max;
  size_t free_slots = room - in_flight_.size();
  if (free_slots == 0) return;
  // Each read also returns the rows in flight (they are still heads), so while busy it waits for
  // half the room: a few rows read per delivery rather than the whole page for each.
  if (!in_flight_.empty() && free_slots < room / 2) return;
  // Deliveries in flight are heads and may be due again: read enough rows to step over them.
  Result<std::vector<DueDelivery>> due = outbox_.due(clock_.now_ns(), free_slots + in_flight_.size());
  if (!due.ok()) {
    spdlog::warn("webhooks: reading due deliveries failed: {}", due.error().message);
    return;
  }
  size_t queued = 0;
  for (DueDelivery& item : *due) {
    if (free_slots == 0) break;
    if (!in_flight_.insert(item.delivery.seq).second) continue;
    queue_.push_back(std::move(item));
    --free_slots;
    ++queued;
  }
  if (queued > 0) worker_cv_.notify_all();
}

void WebhookDispatcher::work_loop(bool main) {
  std::vector<std::vector<DueDelivery>> batches;
  IdSet settled;
  IdSet slow;
  IdSet fast;
  while (true) {
    batches.clear();
    settled.clear();
    slow.clear();
    fast.clear();
    {
      std::unique_lock lock(mutex_);
      while (!stopping_ && !take_batches_locked(main, batches)) {
        // A spare looks again when the main thread's round may have become stuck.
        if (main) {
          worker_cv_.wait(lock);
        } else {
          worker_cv_.wait_for(lock, std::chrono::nanoseconds(options_.slow_attempt_ns));
        }
      }
      if (stopping_) return;
      if (main) {
        main_busy_ = true;
        main_round_began_ = std::chrono::steady_clock::now();
      }
    }
    run_batches(batches, settled, slow, fast);
    finish(main, batches, settled, slow, fast);
  }
}

bool WebhookDispatcher::main_stuck_locked() const {
  return main_busy_ && std::chrono::steady_clock::now() - main_round_began_ >
                           std::chrono::nanoseconds(options_.slow_attempt_ns);
}

bool WebhookDispatcher::takes_merchant_locked(bool main, bool main_stuck,
                                              const Id128& merchant) const {
  if (options_.threads == 1) return true;
  bool slow = slow_merchants_.count(merchant) != 0;
  return main ? !slow : slow || main_stuck;
}

// This thread's part of the attempts at once: batches, each the oldest queued delivery this thread
// takes and more of the same merchant, in queue order, up to an equal share of the queue per batch
// (at most batch_max), so that a short queue still goes out in parallel (a slow receiver then gets
// several attempts at once).
bool WebhookDispatcher::take_batches_locked(bool main,
                                            std::vector<std::vector<DueDelivery>>& batches) {
  size_t share = std::clamp((queue_.size() + options_.concurrency - 1) / options_.concurrency, size_t{1},
                            options_.batch_max);
  const bool main_stuck = !main && main_stuck_locked();
  // A spare helping a stuck main thread does not count the main thread's batches.
  size_t others = main ? spare_batches_ : spare_batches_ + (main_stuck ? 0 : main_batches_);
  size_t room = options_.concurrency > others ? options_.concurrency - others : 0;
  while (batches.size() < room) {
    auto first = std::find_if(queue_.begin(), queue_.end(), [&](const DueDelivery& due) {
      return takes_merchant_locked(main, main_stuck, due.delivery.merchant_id);
    });
    if (first == queue_.end()) break;
    std::vector<DueDelivery>& batch = batches.emplace_back();
    const Id128 merchant = first->delivery.merchant_id;
    batch.push_back(std::move(*first));
    // Earlier deliveries of this merchant would have been taken first: look only after it.
    for (auto it = queue_.erase(first); it != queue_.end() && batch.size() < share;) {
      if (it->delivery.merchant_id == merchant) {
        batch.push_back(std::move(*it));
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
  }
  (main ? main_batches_ : spare_batches_) += batches.size();
  return !batches.empty();
}

void WebhookDispatcher::run_batches(const std::vector<std::vector<DueDelivery>>& batches,
                                    IdSet& settled, IdSet& slow, IdSet& fast) {
  const int64_t round_at_ns = clock_.now_ns();
  std::vector<WebhookSequence> sequences;
  std::vector<std::vector<const DueDelivery*>> sent;  // the delivery of each request
  std::vector<AttemptOutcome> outcomes;
  for (const std::vector<DueDelivery>& batch : batches) {
    WebhookSequence sequence;
    std::vector<const DueDelivery*> members;
    std::optional<AttemptOutcome> unsent =
        prepare_batch(batch, round_at_ns, sequence, members, settled);
    if (unsent) outcomes.push_back(std::move(*unsent));
    if (sequence.empty()) continue;
    sequences.push_back(std::move(sequence));
    sent.push_back(std::move(members));
  }
  std::vector<std::vector<WebhookResponse>> answers = transport_.post_sequences(sequences);
  for (size_t i = 0; i < sent.size() && i < answers.size(); ++i) {
    bool slowly = false;
    for (size_t j = 0; j < answers[i].size() && j < sent[i].size(); ++j) {
      const WebhookResponse& response = answers[i][j];
      slowly =
          slowly || response.http_status == 0 || response.duration_ns > options_.slow_attempt_ns;
      outcomes.push_back(outcome_of(*sent[i][j], response, round_at_ns));
    }
    if (answers[i].empty()) continue;
    (slowly ? slow : fast).insert(sent[i].front()->delivery.merchant_id);
  }
  Status recorded = outbox_.record_attempts(outcomes);
  if (!recorded.ok()) {
    // Still pending in the outbox (or in flight in its fresh lane, queued again by finish()), so
    // they will be sent again: at least once. Pause this worker so a failing store is not
    // hammered.
    spdlog::warn("webhooks: recording {} attempts failed: {}", outcomes.size(), recorded.error().message);
    std::this_thread::sleep_for(std::chrono::nanoseconds(options_.poll_interval_ns));
    return;
  }
  for (const AttemptOutcome& outcome : outcomes) {
    count(outcome);
    if (outcome.delivery.seq == 0) settled.insert(outcome.delivery.id);
  }
}

void WebhookDispatcher::finish(bool main, std::vector<std::vector<DueDelivery>>& batches,
                               const IdSet& settled, const IdSet& slow, const IdSet& fast) {
  {
    std::lock_guard lock(mutex_);
    (main ? main_batches_ : spare_batches_) -= batches.size();
    if (main) main_busy_ = false;
    for (const Id128& merchant : fast) slow_merchants_.erase(merchant);
    for (const Id128& merchant : slow) slow_merchants_.insert(merchant);  // slow wins over fast
    for (std::vector<DueDelivery>& batch : batches) {
      for (DueDelivery& due : batch) {
        if (due.delivery.seq != 0) {
          in_flight_.erase(due.delivery.seq);
        } else if (!stopping_ && settled.count(due.delivery.id) == 0) {
          // Its subject waits for it in the outbox's fresh lane: it must be attempted again.
          queue_.push_back(std::move(due));
        }
      }
    }
    woken_ = true;  // room is free and the subjects' next deliveries may now be due
  }
  scheduler_cv_.notify_one();
  // Queued again, or room and merchants freed for the others.
  worker_cv_.notify_all();
}

// The requests of one merchant's batch. Deliveries that cannot be sent are skipped (recorded
// here); if the merchant directory cannot answer, the batch stops with an attempt that got no
// answer (returned, to be recorded with the others, and retried like any).
std::optional<AttemptOutcome> WebhookDispatcher::prepare_batch(
    const std::vector<DueDelivery>& batch, int64_t round_at_ns, WebhookSequence& sequence,
    std::vector<const DueDelivery*>& members, IdSet& settled) {
  if (batch.empty()) return std::nullopt;
  const Id128& merchant = batch.front().delivery.merchant_id;
  Result<std::optional<std::string>> url = endpoints_.url_of(merchant);
  Result<std::optional<std::string>> secret = endpoints_.secret_of(merchant);
  for (const DueDelivery& due : batch) {
    const DeliveryRecord& delivery = due.delivery;
    Result<std::string> body = envelope_body(due.event);
    std::string reason;
    if (url.ok() && !url->has_value()) reason = "the merchant has no webhook URL";
    if (reason.empty() && secret.ok() && !secret->has_value())
      reason = "the merchant has no webhook signing secret";
    if (reason.empty() && !body.ok()) reason = "the event's payload is not a JSON object";
    if (!reason.empty()) {
      Status skipped = outbox_.skip(delivery, reason, clock_.now_ns());
      if (skipped.ok()) {
        skipped_.fetch_add(1);
        if (delivery.seq == 0) settled.insert(delivery.id);
      } else {
        spdlog::warn("webhooks: delivery {}: recording a skip failed: {}",
                     to_uuid_text(delivery.id), skipped.error().message);
      }
      continue;
    }
    if (!url.ok() || !secret.ok()) {
      WebhookResponse unavailable;
      unavailable.error = "endpoint_unavailable";  // the merchant directory could not answer: retry
      return outcome_of(due, unavailable, round_at_ns);
    }
    WebhookRequest request;
    request.url = **url;
    request.body = std::move(*body);
    request.timeout_ns = options_.attempt_timeout_ns;
    int64_t unix_seconds = round_at_ns / 1'000'000'000;
    request.headers = {
        {"Content-Type", "application/json"},
        {std::string(kSignatureHeader),
         signature_header_value(**secret, unix_seconds, request.body)},
        {"X-Mpay-Event-Id", delivery.event_id},
        {"X-Mpay-Event-Type", delivery.type},
        {"X-Mpay-Delivery-Id", to_uuid_text(delivery.id)},
        {"User-Agent", std::string(kUserAgent)},
    };
    sequence.push_back(std::move(request));
    members.push_back(&due);
  }
  return std::nullopt;
}

AttemptOutcome WebhookDispatcher::outcome_of(const DueDelivery& due,
                                             const WebhookResponse& response, int64_t round_at_ns) {
  const DeliveryRecord& delivery = due.delivery;
  AttemptRecord record;
  record.number = delivery.attempts + 1;
  record.at_ns = round_at_ns + response.started_after_ns;
  record.duration_ns = response.duration_ns;
  record.http_status = response.http_status;
  record.error = response.success() || !response.error.empty() ? response.error : "http_status";
  attempts_.fetch_add(1);

  DeliveryStatus status_after = DeliveryStatus::delivered;
  int64_t next_attempt_at_ns = 0;
  if (!response.success()) {
    int64_t first_attempt_at_ns = delivery.first_attempt_at_ns != 0 ? delivery.first_attempt_at_ns : record.at_ns;
    std::optional<int64_t> next = schedule_.next_attempt_at_ns(first_attempt_at_ns, record.number, clock_.now_ns());
    status_after = next ? DeliveryStatus::pending : DeliveryStatus::failed;
    next_attempt_at_ns = next.value_or(0);
  }
  return AttemptOutcome{delivery, record, status_after, next_attempt_at_ns};
}

void WebhookDispatcher::count(const AttemptOutcome& outcome) {
  switch (outcome.status_after) {
    case DeliveryStatus::delivered: delivered_.fetch_add(1); break;
    case DeliveryStatus::failed:
      failed_.fetch_add(1);
      spdlog::warn("webhooks: delivery {} of event {} failed after {} attempts", to_uuid_text(outcome.delivery.id),
                   outcome.delivery.event_id, outcome.attempt.number);
      break;
    default: retries_scheduled_.fetch_add(1); break;
  }
}

}  // namespace mpay::notify::webhooks
