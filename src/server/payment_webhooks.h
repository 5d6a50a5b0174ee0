// Payment-request changes become merchant webhooks: each durable change (requests::PublishedChange,
// delivered on the ledger's completer thread) is copied into a queue here; a worker thread turns
// them into WebhookEvents (the JSON body) and hands them to the webhook outbox in batches (one
// commit per batch), so the ledger's completer, which every payment waits on, neither builds
// webhook JSON nor waits for webhooks.db. A change lost here by a crash is published again at the
// next start (RequestService republishes the last day's changes, or more: republish_window_ns; the
// outbox ignores event ids it already has), so every change reaches the merchant at least once.
//
// The queue is bounded (kQueueMax). The start's republish waits for room, so it loses nothing
// however many changes it republishes. A live change finding the queue full waits up to
// kLiveRoomWaitNs (once per round of the worker: later ones do not wait again until it has taken
// the queue) and is then dropped, and the drops are logged as errors with their count: the next
// start republishes them if it comes within the republish window (a day), so an outbox that
// falls this far behind needs a restart within the day (docs/webhooks.md, "Under overload").
//
// Event types: payment_request.<status> (succeeded, failed, expired, authorized, captured, voided,
// declined, cancelled) and refund.<status> (succeeded, failed). The event id is the journal
// event's id; the subject is the payment request, so deliveries keep its order. Wiring only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/currency.h"
#include "notify/webhooks/webhook_endpoints.h"
#include "notify/webhooks/webhook_outbox.h"
#include "payments/merchant/merchant_directory.h"
#include "payments/requests/request_context.h"

namespace mpay::server {

// How far back the start republishes payment-request changes (RequestServiceOptions::
// republish_window_ns), given the created_at_ns of the newest event the outbox has stored. At least
// a day; if mpayd was down longer than that after a crash, back to an hour before the newest
// stored event, so that events which were only in the outbox's fresh lane are sent too; at most
// kRepublishWindowMax (the outbox ignores events it has, but forgets them 30 days after their
// delivery, and the republished changes are held in memory during the start).
inline constexpr int64_t kRepublishWindowMin = 24LL * 3600 * 1'000'000'000;
inline constexpr int64_t kRepublishWindowMax = 7 * kRepublishWindowMin;
int64_t republish_window_ns(int64_t now_ns, std::optional<int64_t> newest_stored_event_ns);

// The webhook event of a change ("data": the request as the merchant sees it, with the status the
// event recorded, and the refund for refund events).
notify::webhooks::WebhookEvent webhook_event_of(const requests::PublishedChange& change,
                                                const Currency& currency);

class PaymentWebhookFeed {
 public:
  // Changes waiting (the worker holds at most as many more, being stored); beyond: republished
  // ones wait for room, live ones wait a little, then are dropped (above).
  static constexpr size_t kQueueMax = 100000;
  // Short: a live change arrives on the ledger's completer, which every payment waits on.
  static constexpr int64_t kLiveRoomWaitNs = 100'000'000;

  // The worker thread runs at nice `thread_nice` (core/thread_priority.h). `queue_max`: tests.
  PaymentWebhookFeed(notify::webhooks::WebhookOutbox& outbox, Currency currency,
                     int thread_nice = 0, size_t queue_max = kQueueMax);
  ~PaymentWebhookFeed();  // stop()
  // The listener to give RequestService.
  requests::ChangeListener listener();
  // Waits until every change queued before the call is handed to the outbox (stored, or its
  // failure logged); later ones may still be queued. mpayd starts the webhook dispatcher after
  // this, once the start's republish is in, so that a subject healed after a crash gets its lost
  // event back in front however long the start took (notify/webhooks/headless_subjects_internal.h).
  void wait_until_handed_over();
  // Hands over what is queued, then stops the worker.
  void stop();

 private:
  void run();
  // With `lock` held: whether `change` may join the queue, after waiting for room as above.
  bool wait_for_room(std::unique_lock<std::mutex>& lock, const requests::PublishedChange& change);
  // With the lock held, when the worker takes the queue: logs the live changes dropped.
  void report_dropped();

  notify::webhooks::WebhookOutbox& outbox_;
  Currency currency_;
  size_t queue_max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable room_;  // the worker took the queue, or stopping
  std::condition_variable handed_over_;  // the worker handed over what it took
  uint64_t queued_total_ = 0;            // changes queued since the start
  uint64_t handed_over_total_ = 0;       // of which the worker handed over
  std::deque<requests::PublishedChange> queue_;
  bool stopping_ = false;
  bool live_waited_ = false;  // a live change waited for room in vain since the worker last took
  size_t dropped_ = 0;        // live changes dropped since the worker last took the queue
  std::string first_dropped_;
  std::thread worker_;
};

// Where a merchant's webhooks go and what signs them, from the merchant directory.
class MerchantWebhookEndpoints final : public notify::webhooks::WebhookEndpoints {
 public:
  explicit MerchantWebhookEndpoints(const merchant::MerchantDirectory& directory)
      : directory_(directory) {}
  Result<std::optional<std::string>> url_of(const Id128& merchant_id) override {
    return directory_.webhook_url(merchant::MerchantId(merchant_id));
  }
  Result<std::optional<std::string>> secret_of(const Id128& merchant_id) override {
    return directory_.webhook_secret(merchant::MerchantId(merchant_id));
  }

 private:
  const merchant::MerchantDirectory& directory_;
};

}  // namespace mpay::server
