#include "server/payment_webhooks.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "api/payment_request_text.h"
#include "core/deferred_hand_offs.h"
#include "core/thread_priority.h"
#include "payments/requests/request_events.h"

namespace mpay::server {
namespace {

constexpr size_t kBatchMax = 512;

}  // namespace

int64_t republish_window_ns(int64_t now_ns, std::optional<int64_t> newest_stored_event_ns) {
  constexpr int64_t kMarginNs = 3600LL * 1'000'000'000;
  if (!newest_stored_event_ns) return kRepublishWindowMin;
  int64_t since_newest = now_ns - *newest_stored_event_ns + kMarginNs;
  return std::clamp(since_newest, kRepublishWindowMin, kRepublishWindowMax);
}

notify::webhooks::WebhookEvent webhook_event_of(const requests::PublishedChange& change,
                                                const Currency& currency) {
  const ledger::AppEvent& event = change.event.event;
  std::string type;
  std::string data;
  if (event.kind == requests::event_kinds::refund) {
    std::string_view status =
        requests::refund_status_name(static_cast<requests::RefundStatus>(event.status));
    type = "refund." + std::string(status);
    data = api::payment_webhook_data_text(
        change.request, requests::status_name(change.request.state.status),
        change.refund ? &*change.refund : nullptr, status, currency);
  } else {
    // The status this event recorded, even if the request has moved on since (a republish).
    std::string_view status =
        requests::status_name(static_cast<requests::PaymentStatus>(event.status));
    type = "payment_request." + std::string(status);
    data = api::payment_webhook_data_text(change.request, status, nullptr, {}, currency);
  }
  notify::webhooks::WebhookEvent webhook;
  webhook.event_id = "evt_" + to_uuid_text(event.id);
  webhook.merchant_id = change.request.terms.merchant_id;
  webhook.subject_id = to_uuid_text(change.request.terms.id);
  webhook.type = std::move(type);
  webhook.payload_json = std::move(data);
  webhook.payload_serialized_from_object = true;  // JsonObjectText wrote it
  webhook.created_at_ns = change.event.timestamp;
  return webhook;
}

PaymentWebhookFeed::PaymentWebhookFeed(notify::webhooks::WebhookOutbox& outbox, Currency currency,
                                       int thread_nice, size_t queue_max)
    : outbox_(outbox), currency_(currency), queue_max_(queue_max) {
  worker_ = std::thread([this, thread_nice] {
    pthread_setname_np(pthread_self(), "webhook-feed");
    if (thread_nice != 0 && !set_current_thread_nice(thread_nice)) {
      spdlog::warn("webhooks: could not lower the feed thread's priority to nice {}", thread_nice);
    }
    run();
  });
}

PaymentWebhookFeed::~PaymentWebhookFeed() { stop(); }

requests::ChangeListener PaymentWebhookFeed::listener() {
  return [this](const requests::PublishedChange& change) {
    {
      std::unique_lock lock(mutex_);
      if (!wait_for_room(lock, change)) return;
      queue_.push_back(change);
      ++queued_total_;
    }
    // On the ledger's completer, one wake-up for a round of completions, when it is done: one
    // per change woke this thread to take a single change while the completer went on queueing.
    if (!DeferredHandOffs::defer(this, [this] { wake_.notify_one(); })) wake_.notify_one();
  };
}

bool PaymentWebhookFeed::wait_for_room(std::unique_lock<std::mutex>& lock,
                                       const requests::PublishedChange& change) {
  auto has_room = [this] { return stopping_ || queue_.size() < queue_max_; };
  if (!has_room()) {
    // At once, not deferred: the worker may be asleep with a full queue whose wake-up is
    // deferred to the end of this very round of completions.
    wake_.notify_one();
    if (change.republished) {
      room_.wait(lock, has_room);
    } else if (!live_waited_) {
      live_waited_ = !room_.wait_for(lock, std::chrono::nanoseconds(kLiveRoomWaitNs), has_room);
    }
  }
  if (stopping_) {
    spdlog::error("webhooks: evt_{} not queued (stopping); it is republished at the next start",
                  to_uuid_text(change.event.event.id));
    return false;
  }
  if (queue_.size() < queue_max_) return true;
  if (dropped_++ == 0) {
    first_dropped_ = "evt_" + to_uuid_text(change.event.event.id);
    spdlog::error(
        "webhooks: {} changes wait for the outbox; live changes are dropped until it catches up "
        "(the next start republishes them if it comes within a day)",
        queue_.size());
  }
  return false;
}

void PaymentWebhookFeed::report_dropped() {
  live_waited_ = false;
  if (dropped_ == 0) return;
  spdlog::error(
      "webhooks: {} live changes were dropped (the first {}); the next start republishes them if "
      "it comes within a day",
      dropped_, first_dropped_);
  dropped_ = 0;
}

void PaymentWebhookFeed::wait_until_handed_over() {
  std::unique_lock lock(mutex_);
  const uint64_t queued_before = queued_total_;
  handed_over_.wait(lock, [&] { return handed_over_total_ >= queued_before; });
}

void PaymentWebhookFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  room_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PaymentWebhookFeed::run() {
  std::deque<requests::PublishedChange> changes;
  std::vector<notify::webhooks::WebhookEvent> batch;
  std::vector<notify::webhooks::WebhookEvent> republished;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    // Everything queued changes hands in constant time: this thread runs at a low priority, and
    // the completer, which every payment waits on, must never wait for it to finish a copy.
    changes.clear();
    changes.swap(queue_);
    const size_t taken = changes.size();
    report_dropped();
    lock.unlock();
    room_.notify_all();
    while (!changes.empty()) {
      batch.clear();
      republished.clear();
      while (!changes.empty() && batch.size() + republished.size() < kBatchMax) {
        const requests::PublishedChange& change = changes.front();
        (change.republished ? republished : batch).push_back(webhook_event_of(change, currency_));
        changes.pop_front();
      }
      // Republished events may be known to the outbox already (it ignores those); new ones take
      // its fresh lane: sent first, stored with their first attempt.
      for (auto* events : {&republished, &batch}) {
        if (events->empty()) continue;
        Status stored =
            events == &batch ? outbox_.enqueue_fresh(*events) : outbox_.enqueue(*events);
        if (!stored.ok()) {
          spdlog::error(
              "webhooks: {} events not stored ({}); they are republished at the next start",
              events->size(), stored.error().message);
        }
      }
    }
    lock.lock();
    handed_over_total_ += taken;
    handed_over_.notify_all();
  }
}

}  // namespace mpay::server
