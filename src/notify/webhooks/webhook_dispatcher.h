// Sends the outbox's deliveries to merchants: signs them, POSTs them through a WebhookTransport,
// records every attempt, retries failures on the RetrySchedule and gives up after its window.
//
// Order per subject: the outbox only ever offers a subject's head (its oldest pending delivery),
// and the dispatcher never has two attempts of one delivery in flight, so event k+1 of a subject
// is not sent before event k is delivered, failed or skipped. Different subjects go in parallel,
// at most `concurrency` attempts at once.
//
// Batches: a batch is due deliveries of one merchant (an equal share of the queue, at most
// `batch_max`, so a short queue still goes out in parallel). A sending thread takes batches (at
// most `concurrency` in flight over all threads) and hands them to the transport as sequences that
// run at the same time (each over one kept-alive connection, its deliveries pipelined, see
// beast_webhook_transport.h), then records all their attempts in one outbox write: a round. A batch
// stops at the first attempt that got no answer (the rest are offered again rather than waiting out
// the same silence). Few threads with many attempts each: under load, thread wake-ups cost more
// than the attempts. Memory is bounded by concurrency x batch_max deliveries: due deliveries are
// read from the outbox a page at a time, when at least half of that room is free (or nothing is in
// flight).
//
// Slow merchants: a round lasts as long as its slowest batch, so a receiver that hangs would hold
// up the other merchants' deliveries of the same round. The first sending thread (the main one)
// takes the batches of merchants that answer; a merchant whose last batch ended without an answer,
// or with an attempt slower than `slow_attempt_ns`, is slow until a batch of it is answered in time
// again, and the other sending threads (spares) take its batches. A spare also takes any batch
// while the main thread's round has lasted longer than `slow_attempt_ns` (it is stuck behind a
// merchant not yet known to be slow), and may then have up to `concurrency` batches of its own in
// flight besides the main thread's. With one thread, it takes everything.
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
#include <chrono>
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
  // Real time: an attempt slower than this (or unanswered) makes its merchant slow (see above).
  int64_t slow_attempt_ns = 1'000'000'000;
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
  void work_loop(bool main);
  // False when nothing queued is this thread's to take (or no batch may start now).
  bool take_batches_locked(bool main, std::vector<std::vector<DueDelivery>>& batches);
  bool takes_merchant_locked(bool main, bool main_stuck, const Id128& merchant) const;
  bool main_stuck_locked() const;
  // Fresh deliveries whose outcome (or skip) the outbox stored go into `settled`; the merchants
  // of batches that were slow (see above) into `slow`, the others that were answered into `fast`.
  void run_batches(const std::vector<std::vector<DueDelivery>>& batches, IdSet& settled,
                   IdSet& slow, IdSet& fast);
  std::optional<AttemptOutcome> prepare_batch(const std::vector<DueDelivery>& batch,
                                              int64_t round_at_ns, WebhookSequence& sequence,
                                              std::vector<const DueDelivery*>& members,
                                              IdSet& settled);
  // The attempt, not yet recorded.
  AttemptOutcome outcome_of(const DueDelivery& due, const WebhookResponse& response,
                            int64_t round_at_ns);
  void count(const AttemptOutcome& outcome);
  // Stored deliveries leave in_flight_; fresh ones not settled are queued again.
  void finish(bool main, std::vector<std::vector<DueDelivery>>& batches, const IdSet& settled,
              const IdSet& slow, const IdSet& fast);

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
  size_t main_batches_ = 0;   // taken by the main sending thread, not yet finished
  size_t spare_batches_ = 0;  // taken by the spares
  IdSet slow_merchants_;
  bool main_busy_ = false;  // the main sending thread is in a round, begun at main_round_began_
  std::chrono::steady_clock::time_point main_round_began_;
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
