#include "notify/webhooks/webhook_dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/ids.h"
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
  MPAY_CHECK(options_.batch_max >= 1 && options_.batch_max <= kBatchMax, "webhook batch_max out of range");
  MPAY_CHECK(options_.attempt_timeout_ns > 0 && options_.poll_interval_ns > 0, "webhook timings must be positive");
}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  std::lock_guard lock(mutex_);
  MPAY_CHECK(!started_, "WebhookDispatcher::start called twice");
  started_ = true;
  last_prune_at_ns_ = 0;
  scheduler_ = std::thread([this] { schedule_loop(); });
  for (size_t i = 0; i < options_.concurrency; ++i) workers_.emplace_back([this] { work_loop(); });
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
  // A worker takes a batch, so waking one per delivery would mostly wake workers for nothing.
  for (size_t i = 0; i < std::min(queued, options_.concurrency); ++i) worker_cv_.notify_one();
}

void WebhookDispatcher::work_loop() {
  std::vector<DueDelivery> batch;
  while (true) {
    batch.clear();
    {
      std::unique_lock lock(mutex_);
      worker_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      take_batch_locked(batch);
    }
    run_batch(batch);
    finish(batch);
  }
}

// The oldest queued delivery and more of the same merchant, in queue order: up to an equal share
// of the queue per worker (at most batch_max), so that a short queue is still sent in parallel
// (a slow receiver then gets several attempts at once, as before batches).
void WebhookDispatcher::take_batch_locked(std::vector<DueDelivery>& batch) {
  size_t share = std::clamp((queue_.size() + options_.concurrency - 1) / options_.concurrency, size_t{1},
                            options_.batch_max);
  batch.push_back(std::move(queue_.front()));
  queue_.pop_front();
  const Id128 merchant = batch.front().delivery.merchant_id;
  for (auto it = queue_.begin(); it != queue_.end() && batch.size() < share;) {
    if (it->delivery.merchant_id == merchant) {
      batch.push_back(std::move(*it));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
}

void WebhookDispatcher::run_batch(const std::vector<DueDelivery>& batch) {
  std::vector<AttemptOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const DueDelivery& due : batch) {
    std::optional<AttemptOutcome> outcome = attempt(due);
    if (!outcome) continue;
    outcomes.push_back(std::move(*outcome));
    if (outcomes.back().attempt.http_status == 0) break;  // no answer: the rest are offered again
  }
  Status recorded = outbox_.record_attempts(outcomes);
  if (!recorded.ok()) {
    // Still pending in the outbox, so they will be sent again: at least once. Pause this worker
    // so a failing store is not hammered.
    spdlog::warn("webhooks: recording {} attempts failed: {}", outcomes.size(), recorded.error().message);
    std::this_thread::sleep_for(std::chrono::nanoseconds(options_.poll_interval_ns));
    return;
  }
  for (const AttemptOutcome& outcome : outcomes) count(outcome);
}

void WebhookDispatcher::finish(const std::vector<DueDelivery>& batch) {
  {
    std::lock_guard lock(mutex_);
    for (const DueDelivery& due : batch) in_flight_.erase(due.delivery.seq);
    woken_ = true;  // room is free and the subjects' next deliveries may now be due
  }
  scheduler_cv_.notify_one();
}

std::optional<AttemptOutcome> WebhookDispatcher::attempt(const DueDelivery& due) {
  const DeliveryRecord& delivery = due.delivery;
  std::string delivery_id = to_uuid_text(delivery.id);
  auto skip = [&](const std::string& reason) -> std::optional<AttemptOutcome> {
    Status skipped = outbox_.skip(delivery, reason, clock_.now_ns());
    if (skipped.ok()) {
      skipped_.fetch_add(1);
    } else {
      spdlog::warn("webhooks: delivery {}: recording a skip failed: {}", delivery_id, skipped.error().message);
    }
    return std::nullopt;
  };

  AttemptRecord record;
  record.number = delivery.attempts + 1;
  record.at_ns = clock_.now_ns();
  auto started = std::chrono::steady_clock::now();
  WebhookResponse response;
  Result<std::optional<std::string>> url = endpoints_.url_of(delivery.merchant_id);
  Result<std::optional<std::string>> secret = endpoints_.secret_of(delivery.merchant_id);
  Result<std::string> body = envelope_body(due.event);
  if (url.ok() && !url->has_value()) return skip("the merchant has no webhook URL");
  if (secret.ok() && !secret->has_value()) return skip("the merchant has no webhook signing secret");
  if (!body.ok()) return skip("the event's payload is not a JSON object");
  if (!url.ok() || !secret.ok()) {
    response.error = "endpoint_unavailable";  // the merchant directory could not answer: retry
  } else {
    WebhookRequest request;
    request.url = **url;
    request.body = std::move(*body);
    request.timeout_ns = options_.attempt_timeout_ns;
    int64_t unix_seconds = record.at_ns / 1'000'000'000;
    request.headers = {
        {"Content-Type", "application/json"},
        {std::string(kSignatureHeader), signature_header_value(**secret, unix_seconds, request.body)},
        {"X-Mpay-Event-Id", delivery.event_id},
        {"X-Mpay-Event-Type", delivery.type},
        {"X-Mpay-Delivery-Id", delivery_id},
        {"User-Agent", std::string(kUserAgent)},
    };
    response = transport_.post(request);
  }
  record.duration_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
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
