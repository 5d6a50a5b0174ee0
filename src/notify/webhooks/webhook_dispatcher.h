// Sends the outbox's deliveries to merchants: signs them, POSTs them through a WebhookTransport,
// records every attempt, retries failures on the RetrySchedule and gives up after its window.
//
// Order per subject: the outbox only ever offers a subject's head (its oldest pending delivery),
// and the dispatcher never has two attempts of one delivery in flight, so event k+1 of a subject
// is not sent before event k is delivered, failed or skipped. Different subjects go in parallel,
// at most `concurrency` attempts at once.
//
// Batches: a batch is due deliveries of one merchant (an equal share of the queue, at most
// `batch_max`, so a short queue still goes out in parallel). A sending thread takes up to
// concurrency / threads batches and hands them to the transport as sequences that run at the same
// time (each over one kept-alive connection, its deliveries pipelined, see
// beast_webhook_transport.h), then records all their attempts in one outbox write. A batch stops
// at the first attempt that got no answer (the rest are offered again rather than waiting out the
// same silence). Few threads with many attempts each: under load, thread wake-ups cost more than
// the attempts. Memory is bounded by concurrency x batch_max deliveries: due deliveries are read
// from the outbox a page at a time, when at least half of that room is free (or nothing is in
// flight).
//
// At least once: an attempt is recorded after it returns; if the process dies in between, the
// delivery is still pending and is sent again after the restart. Receivers dedupe by event id.
//
// Threads: one scheduler thread ("webhook-sched") and `threads` sending threads ("webhook-send"),
// at nice `thread_nice`, started by start() and joined by stop() (which lets attempts in flight
// finish; what is queued stays pending in the outbox).
// wake() may be called from any thread; the outbox calls it when work arrives. Time comes from
// the Clock (schedule and records) and randomness from the RandomSource (jitter), so tests can
// drive the schedule with a ManualClock; the per-attempt timeout is real time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "notify/webhooks/retry_schedule.h"
#include "notify/webhooks/webhook_endpoints.h"
#include "notify/webhooks/webhook_outbox.h"
#include "notify/webhooks/webhook_transport.h"

namespace mpay::notify::webhooks {

inline constexpr std::string_view kUserAgent = "mpay-webhooks/1";
inline constexpr size_t kConcurrencyMax = 256;
inline constexpr size_t kBatchMax = 256;

struct DispatcherOptions {
  size_t concurrency = 32;                         // attempts at once, 1..kConcurrencyMax
  size_t threads = 2;                              // sending threads, >= 1 (at most concurrency used)
  size_t batch_max = 32;                           // deliveries per batch, 1..kBatchMax
  int64_t attempt_timeout_ns = 10'000'000'000;     // real time per attempt
  int64_t poll_interval_ns = 1'000'000'000;        // real time between looks when nothing wakes it
  int64_t retention_ns = 30 * 24 * 3600'000'000'000LL;  // finished deliveries kept this long
  int64_t prune_every_ns = 3600'000'000'000;       // clock time between prunes
  // The scheduler's and sending threads' nice value, 0..19 (core/thread_priority.h). Deliveries
  // are background work: at 10 they take the CPU time the payment path leaves, and under a
  // sustained overload they fall behind (durably, in the outbox) and catch up afterwards.
  int thread_nice = 0;
  RetryOptions retry;
};

// Since start; plain numbers for metrics.
struct DispatcherStats {
  uint64_t attempts = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;  // gave up
  uint64_t skipped = 0;
  uint64_t retries_scheduled = 0;
};

class WebhookDispatcher {
 public:
  // Everything referenced must outlive the dispatcher.
  WebhookDispatcher(WebhookOutbox& outbox, WebhookEndpoints& endpoints, WebhookTransport& transport,
                    Clock& clock, RandomSource& random, DispatcherOptions options);
  ~WebhookDispatcher();  // stop()
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  void stop();
  // Look at the outbox now (new work, or a ManualClock moved).
  void wake();
  // Fresh deliveries from the outbox's lane (WebhookOutbox::set_on_fresh_work): queued like due
  // ones, without a read of the store. One whose attempt could not be recorded is queued again
  // (after the pause a failing store gets); while stopping they stay in the lane, which the
  // outbox stores when it closes.
  void offer(std::vector<DueDelivery> fresh);
  DispatcherStats stats() const;

 private:
  using IdSet = std::unordered_set<Id128, Id128Hash>;
  void name_and_lower_this_thread(const char* name) const;
  void schedule_loop();
  void dispatch_due_locked(std::unique_lock<std::mutex>& lock);
  void work_loop();
  void take_batches_locked(std::vector<std::vector<DueDelivery>>& batches);
  // Fresh deliveries whose outcome (or skip) the outbox stored go into `settled`.
  void run_batches(const std::vector<std::vector<DueDelivery>>& batches, IdSet& settled);
  std::optional<AttemptOutcome> prepare_batch(const std::vector<DueDelivery>& batch,
                                              int64_t round_at_ns, WebhookSequence& sequence,
                                              std::vector<const DueDelivery*>& members,
                                              IdSet& settled);
  // The attempt, not yet recorded.
  AttemptOutcome outcome_of(const DueDelivery& due, const WebhookResponse& response,
                            int64_t round_at_ns);
  void count(const AttemptOutcome& outcome);
  // Stored deliveries leave in_flight_; fresh ones not settled are queued again.
  void finish(std::vector<std::vector<DueDelivery>>& batches, const IdSet& settled);

  WebhookOutbox& outbox_;
  WebhookEndpoints& endpoints_;
  WebhookTransport& transport_;
  Clock& clock_;
  RetrySchedule schedule_;
  DispatcherOptions options_;

  std::mutex mutex_;
  std::condition_variable scheduler_cv_;
  std::condition_variable worker_cv_;
  bool woken_ = false;
  bool stopping_ = false;
  bool started_ = false;
  std::set<int64_t> in_flight_;  // stored delivery seqs queued or being attempted
  // Due deliveries (at most concurrency x batch_max) and fresh ones (at most the outbox's lane).
  std::deque<DueDelivery> queue_;
  int64_t last_prune_at_ns_ = 0;
  std::thread scheduler_;
  std::vector<std::thread> workers_;

  std::atomic<uint64_t> attempts_{0};
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<uint64_t> retries_scheduled_{0};
};

}  // namespace mpay::notify::webhooks
