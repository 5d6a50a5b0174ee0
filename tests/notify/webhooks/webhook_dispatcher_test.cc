// The dispatcher over a fake transport and a ManualClock: order per subject, giving up after the
// window, skips, and what each request carries.
#include "notify/webhooks/webhook_dispatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "core/thread_priority.h"
#include "notify/webhooks/webhook_signature.h"
#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 1};
const Id128 kMerchantWithoutUrl{0x0190f4c27a3e7c41ULL, 2};
constexpr const char* kSecret = "whsec_dispatcher_test";

WebhookResponse answer(unsigned status) { return WebhookResponse{status, ""}; }

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<WebhookOutbox>> opened = WebhookOutbox::open(directory.path(), clock, ids);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    outbox = std::move(*opened);
    endpoints.set(kMerchant, "http://merchant.test/hooks", kSecret);
  }

  void start(FakeTransport& transport, size_t concurrency = 4, size_t batch_max = 32,
             int thread_nice = 0, const std::function<void(DispatcherOptions&)>& adjust = nullptr) {
    DispatcherOptions options;
    if (adjust) adjust(options);
    options.thread_nice = thread_nice;
    options.concurrency = concurrency;
    options.batch_max = batch_max;
    options.poll_interval_ns = 2'000'000;  // real time: look often, the ManualClock decides what is due
    dispatcher = std::make_unique<WebhookDispatcher>(*outbox, endpoints, transport, clock, random, options);
    outbox->set_on_new_work([this] { dispatcher->wake(); });
    outbox->set_on_fresh_work(
        [this](std::vector<DueDelivery> fresh) { dispatcher->offer(std::move(fresh)); });
    dispatcher->start();
  }

  void keeps_order_while_subjects_interleave(bool fresh);

  int64_t count(DeliveryStatus status, const Id128& merchant = kMerchant) {
    Result<DeliveryPage> page = outbox->list(DeliveryQuery{merchant, {}, status, 100, {}});
    EXPECT_TRUE(page.ok());
    return static_cast<int64_t>(page->items.size());
  }

  // Once the dispatcher has recorded something since the last call, moves the clock past any
  // retry delay (the cap is an hour); always lets the dispatcher look.
  void advance_an_hour() {
    DispatcherStats stats = dispatcher->stats();
    uint64_t progress = stats.retries_scheduled + stats.failed + stats.delivered + stats.skipped;
    if (progress != seen_progress) {
      seen_progress = progress;
      clock.advance_ns(kHourNs);
    }
    dispatcher->wake();
  }
  uint64_t seen_progress = 0;

  void TearDown() override {
    if (dispatcher) dispatcher->stop();
  }

  mpay::testing::TempDirectory directory;
  ManualClock clock{1764072000LL * kSecondNs};
  SeededRandom random{11};
  UuidV7Generator ids{clock, random};
  InTestEndpoints endpoints;
  std::unique_ptr<WebhookOutbox> outbox;
  std::unique_ptr<WebhookDispatcher> dispatcher;
};

TEST_F(WebhookDispatcherTest, SendsSignedRequestsWithTheDocumentedHeaders) {
  FakeTransport transport([](const WebhookRequest&, int) { return answer(204); });
  start(transport);
  WebhookEvent event = make_event(kMerchant, "pr_a", 1);
  ASSERT_TRUE(outbox->enqueue({event}).ok());
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 1; }));
  std::vector<WebhookRequest> requests = transport.requests();
  ASSERT_EQ(requests.size(), 1u);
  const WebhookRequest& request = requests[0];
  EXPECT_EQ(request.url, "http://merchant.test/hooks");
  EXPECT_EQ(header_of(request, "Content-Type"), "application/json");
  EXPECT_EQ(header_of(request, "User-Agent"), "mpay-webhooks/1");
  EXPECT_EQ(header_of(request, "X-Mpay-Event-Id"), "evt_pr_a_1");
  EXPECT_EQ(header_of(request, "X-Mpay-Event-Type"), "payment_request.succeeded");
  int64_t t = clock.now_ns() / kSecondNs;
  EXPECT_EQ(header_of(request, "X-Mpay-Signature"), signature_header_value(kSecret, t, request.body));
  EXPECT_EQ(request.timeout_ns, 10 * kSecondNs);
  // The counter moves just after the outbox records the attempt.
  EXPECT_TRUE(eventually([&] { return dispatcher->stats().delivered == 1u; }));
}

// Deliveries are background work: the sending threads (and the connections they start, which
// inherit their priority) run at the configured nice value, under their own name.
TEST_F(WebhookDispatcherTest, SendingThreadsRunAtTheConfiguredPriority) {
  std::mutex mutex;
  std::vector<int> nice_seen;
  FakeTransport transport([&](const WebhookRequest&, int) {
    std::lock_guard lock(mutex);
    nice_seen.push_back(current_thread_nice());
    return answer(204);
  });
  int caller_nice = current_thread_nice();
  start(transport, 4, 32, 9);
  ASSERT_TRUE(
      outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_b", 1)}).ok());
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 2; }));
  std::lock_guard lock(mutex);
  ASSERT_EQ(nice_seen.size(), 2u);
  EXPECT_EQ(nice_seen[0], 9);
  EXPECT_EQ(nice_seen[1], 9);
  EXPECT_EQ(current_thread_nice(), caller_nice) << "the caller's thread keeps its priority";
}

// (event id, status) of the merchant's deliveries with at least one attempt.
std::map<std::string, DeliveryStatus> attempted(WebhookOutbox& outbox, const Id128& merchant) {
  std::map<std::string, DeliveryStatus> seen;
  Result<DeliveryPage> page = outbox.list(DeliveryQuery{merchant, {}, {}, 100, {}});
  EXPECT_TRUE(page.ok());
  for (const DeliveryRecord& delivery : page->items) {
    if (delivery.attempts > 0) seen[delivery.event_id] = delivery.status;
  }
  return seen;
}

TEST_F(WebhookDispatcherTest, AWorkerSendsABatchOfOneMerchantAndRecordsItTogether) {
  const Id128 other{0x0190f4c27a3e7c41ULL, 3};
  endpoints.set(other, "http://other.test/hooks", kSecret);
  // Queued before the dispatcher starts, so its one worker finds all of them due at once.
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(other, "pr_b", 1),
                               make_event(kMerchant, "pr_c", 1), make_event(other, "pr_d", 1),
                               make_event(kMerchant, "pr_e", 1)})
                  .ok());
  std::vector<size_t> recorded_before_call;
  FakeTransport transport([&](const WebhookRequest&, int) {
    recorded_before_call.push_back(attempted(*outbox, kMerchant).size() + attempted(*outbox, other).size());
    return answer(200);
  });
  start(transport, 1);
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) + count(DeliveryStatus::delivered, other) == 5; }));
  std::vector<std::string> order;
  for (const auto& [event_id, succeeded] : transport.outcomes()) order.push_back(event_id);
  // The oldest delivery's merchant first, all of its due deliveries in order, then the other's.
  EXPECT_EQ(order, (std::vector<std::string>{"evt_pr_a_1", "evt_pr_c_1", "evt_pr_e_1", "evt_pr_b_1", "evt_pr_d_1"}));
  // Nothing of a batch is recorded until all of it was sent; then all of it at once.
  EXPECT_EQ(recorded_before_call, (std::vector<size_t>{0, 0, 0, 3, 3}));
}

TEST_F(WebhookDispatcherTest, AShortQueueOfOneMerchantIsStillSentInParallel) {
  std::vector<WebhookEvent> events;
  for (const char* subject : {"pr_a", "pr_b", "pr_c", "pr_d"}) events.push_back(make_event(kMerchant, subject, 1));
  ASSERT_TRUE(outbox->enqueue(events).ok());
  std::mutex mutex;
  std::condition_variable all_in;
  int active = 0;
  int most_at_once = 0;
  FakeTransport transport([&](const WebhookRequest&, int) {
    std::unique_lock lock(mutex);
    most_at_once = std::max(most_at_once, ++active);
    all_in.notify_all();
    // A slow receiver: each answer waits (up to 2 s) until all four attempts are in flight.
    all_in.wait_for(lock, std::chrono::seconds(2), [&] { return most_at_once == 4; });
    --active;
    return answer(200);
  });
  start(transport, 4);
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 4; }));
  EXPECT_EQ(most_at_once, 4)
      << "four attempts at once, four due deliveries: one each, not one batch";
}

TEST_F(WebhookDispatcherTest, ABatchStopsAtAnAttemptWithoutAnswerAndTheRestAreSentLater) {
  std::vector<WebhookEvent> events;
  for (const char* subject : {"pr_a", "pr_b", "pr_c", "pr_d"}) events.push_back(make_event(kMerchant, subject, 1));
  ASSERT_TRUE(outbox->enqueue(events).ok());
  std::map<std::string, DeliveryStatus> seen_at_third_call;
  FakeTransport transport([&](const WebhookRequest&, int call) {
    if (call == 1) return WebhookResponse{0, "connection refused"};
    if (call == 2) seen_at_third_call = attempted(*outbox, kMerchant);
    return answer(200);
  });
  start(transport, 1);
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 4; }, [&] { advance_an_hour(); }));
  // The batch ended at the refused attempt: it and the delivered one before it were recorded
  // before anything else was sent.
  EXPECT_EQ(seen_at_third_call, (std::map<std::string, DeliveryStatus>{{"evt_pr_a_1", DeliveryStatus::delivered},
                                                                         {"evt_pr_b_1", DeliveryStatus::pending}}));
  EXPECT_EQ(transport.requests().size(), 5u);  // pr_b twice
}

// Per subject, every request of event k comes before any of event k+1, and the successes are in
// order: k+1 never left before k was delivered.
void expect_order_per_subject(const std::vector<std::pair<std::string, bool>>& outcomes) {
  std::map<std::string, int> highest_index;
  std::map<std::string, bool> highest_delivered;
  for (const auto& [event_id, succeeded] : outcomes) {
    std::string subject = event_id.substr(4, 4);
    int index = std::stoi(event_id.substr(9));
    auto known = highest_index.find(subject);
    if (known != highest_index.end()) {
      ASSERT_GE(index, known->second) << event_id << " after a later event of its subject";
      if (index > known->second) {
        ASSERT_TRUE(highest_delivered[subject]) << event_id << " sent before its predecessor was delivered";
        ASSERT_EQ(index, known->second + 1) << event_id;
      }
    } else {
      ASSERT_EQ(index, 1) << event_id;
    }
    highest_index[subject] = index;
    highest_delivered[subject] = succeeded;
  }
}

void WebhookDispatcherTest::keeps_order_while_subjects_interleave(bool fresh) {
  // Every event fails its first two attempts; the test checks the order the transport saw.
  std::mutex mutex;
  std::map<std::string, int> tries;
  FakeTransport transport([&](const WebhookRequest& request, int) {
    std::lock_guard lock(mutex);
    int n = ++tries[header_of(request, "X-Mpay-Event-Id")];
    return answer(n <= 2 ? 500 : 200);
  });
  start(transport, 3);
  const std::vector<std::string> subjects = {"pr_a", "pr_b", "pr_c", "pr_d"};
  constexpr int kPerSubject = 5;
  for (int i = 1; i <= kPerSubject; ++i) {
    std::vector<WebhookEvent> batch;
    for (const std::string& subject : subjects) batch.push_back(make_event(kMerchant, subject, i));
    ASSERT_TRUE((fresh ? outbox->enqueue_fresh(batch) : outbox->enqueue(batch)).ok());
  }
  int64_t total = static_cast<int64_t>(subjects.size()) * kPerSubject;
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == total; },
                         [&] { advance_an_hour(); }));
  expect_order_per_subject(transport.outcomes());
  EXPECT_EQ(transport.outcomes().size(), static_cast<size_t>(total * 3));
  // Subjects did proceed side by side: the first successes of the subjects are not one subject's
  // five events in a row.
  std::set<std::string> first_subjects;
  for (const auto& [event_id, succeeded] : transport.outcomes()) {
    if (first_subjects.size() < 4) first_subjects.insert(event_id.substr(4, 4));
  }
  EXPECT_GT(first_subjects.size(), 1u);
  dispatcher->stop();
}

TEST_F(WebhookDispatcherTest, KeepsOrderPerSubjectWhileSubjectsInterleave) {
  keeps_order_while_subjects_interleave(/*fresh=*/false);
}

// The same through the outbox's fresh lane: each subject's first event goes out before anything
// is stored, its failure hands the subject to the store, and the order holds across the two.
TEST_F(WebhookDispatcherTest, FreshEventsKeepOrderPerSubjectThroughFailures) {
  keeps_order_while_subjects_interleave(/*fresh=*/true);
  EXPECT_EQ(*outbox->pending_count(), 0);
}

// Events arriving one by one while some attempts fail: subjects move between the lane and the
// store and back, and every event is delivered once, in order.
TEST_F(WebhookDispatcherTest, FreshEventsArrivingWhileOthersAreRetriedStayInOrder) {
  std::mutex mutex;
  std::map<std::string, int> tries;
  FakeTransport transport([&](const WebhookRequest& request, int) {
    std::lock_guard lock(mutex);
    std::string event_id = header_of(request, "X-Mpay-Event-Id");
    int n = ++tries[event_id];
    bool fails_once = std::stoi(event_id.substr(9)) % 3 == 2;
    return answer(fails_once && n == 1 ? 503 : 200);
  });
  start(transport, 4);
  const std::vector<std::string> subjects = {"pr_a", "pr_b", "pr_c"};
  constexpr int kPerSubject = 8;
  for (int i = 1; i <= kPerSubject; ++i) {
    for (const std::string& subject : subjects) {
      ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, subject, i)}).ok());
    }
    advance_an_hour();
  }
  int64_t total = static_cast<int64_t>(subjects.size()) * kPerSubject;
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == total; },
                         [&] { advance_an_hour(); }));
  expect_order_per_subject(transport.outcomes());
  size_t failing = 0;
  for (int i = 1; i <= kPerSubject; ++i) failing += i % 3 == 2 ? subjects.size() : 0;
  EXPECT_EQ(transport.outcomes().size(), static_cast<size_t>(total) + failing);
  EXPECT_EQ(*outbox->pending_count(), 0);
}

TEST_F(WebhookDispatcherTest, GivesUpAfterTheWindowAndTheSubjectMovesOn) {
  FakeTransport transport([](const WebhookRequest& request, int) {
    return answer(header_of(request, "X-Mpay-Event-Id") == "evt_pr_a_1" ? 503 : 200);
  });
  start(transport, 1);
  int64_t enqueued_at = clock.now_ns();
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)}).ok());
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::failed) == 1; }, [&] { advance_an_hour(); }));
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 1; }, [&] { advance_an_hour(); }));

  Result<DeliveryPage> failed = outbox->list(DeliveryQuery{kMerchant, {}, DeliveryStatus::failed, 10, {}});
  const DeliveryRecord& gave_up = failed->items.at(0);
  EXPECT_EQ(gave_up.event_id, "evt_pr_a_1");
  EXPECT_EQ(gave_up.last_http_status, 503u);
  Result<std::optional<DeliveryDetail>> detail = outbox->find(kMerchant, gave_up.id);
  const std::vector<AttemptRecord>& attempts = (*detail)->attempts;
  // An hour per step: roughly one attempt an hour for a day, every one of them inside the window.
  EXPECT_GE(attempts.size(), 20u);
  EXPECT_LE(attempts.size(), 26u);
  EXPECT_EQ(static_cast<int64_t>(attempts.size()), gave_up.attempts);
  EXPECT_GE(attempts.front().at_ns, enqueued_at);
  EXPECT_LE(attempts.back().at_ns - attempts.front().at_ns, 24 * kHourNs);
  for (size_t i = 1; i < attempts.size(); ++i) EXPECT_GT(attempts[i].at_ns, attempts[i - 1].at_ns);
  // The second event went only after the first gave up.
  std::vector<std::pair<std::string, bool>> outcomes = transport.outcomes();
  ASSERT_EQ(outcomes.back(), (std::pair<std::string, bool>{"evt_pr_a_2", true}));
  EXPECT_EQ(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.first == "evt_pr_a_2"; }), 1);
  EXPECT_EQ(dispatcher->stats().failed, 1u);
}

// A receiver that hangs until released: for the tests of slow merchants.
class Hang {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    released_cv_.wait(lock, [this] { return released_; });
  }
  int waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_cv_;
  int waiting_ = 0;
  bool released_ = false;
};

// Two merchants whose endpoints went silent, then hang: the spare thread takes their batches, and
// the main thread keeps delivering a third merchant's events meanwhile. (With the sending threads
// taking any merchant, each silent one would hold up a thread's round, and the third merchant's
// event would wait for one of them.)
TEST_F(WebhookDispatcherTest, SlowMerchantsDoNotHoldUpTheOthers) {
  const Id128 silent{0x0190f4c27a3e7c41ULL, 4};
  const Id128 answering{0x0190f4c27a3e7c41ULL, 5};
  endpoints.set(silent, "http://silent.test/hooks", kSecret);
  endpoints.set(answering, "http://answering.test/hooks", kSecret);
  Hang hang;
  std::mutex mutex;
  std::map<std::string, int> calls_by_url;
  FakeTransport transport([&](const WebhookRequest& request, int) {
    if (request.url == "http://answering.test/hooks") return answer(200);
    int calls;
    {
      std::lock_guard lock(mutex);
      calls = ++calls_by_url[request.url];
    }
    if (calls == 1) return WebhookResponse{0, "timeout"};  // no answer: the merchant is slow
    hang.wait();
    return answer(200);
  });
  start(transport, 4, 32, 0, [](DispatcherOptions& options) {
    options.threads = 2;
    options.slow_attempt_ns = 60 * kSecondNs;  // the main thread never counts as stuck here
  });
  ASSERT_TRUE(
      outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(silent, "pr_s", 1)}).ok());
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().retries_scheduled == 2; }));
  // Both are slow now. A new event of each goes to the spare, which hangs on the first.
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_b", 1)}).ok());
  ASSERT_TRUE(eventually([&] { return hang.waiting() == 1; }));
  ASSERT_TRUE(outbox->enqueue({make_event(silent, "pr_t", 1)}).ok());
  ASSERT_TRUE(outbox->enqueue({make_event(answering, "pr_c", 1)}).ok());
  EXPECT_TRUE(
      eventually([&] { return count(DeliveryStatus::delivered, answering) == 1; }, [] {}, 10));
  EXPECT_EQ(hang.waiting(), 1);  // still hanging: the spare's round had not ended
  hang.release();
  ASSERT_TRUE(eventually(
      [&] {
        return count(DeliveryStatus::delivered) == 2 &&
               count(DeliveryStatus::delivered, silent) == 2;
      },
      [&] { advance_an_hour(); }));
}

// A merchant not yet known to be slow hangs the main thread's round: once that round has lasted
// longer than slow_attempt_ns, the spare delivers the other merchants' events.
TEST_F(WebhookDispatcherTest, ASpareTakesOverFromAMainThreadStuckInARound) {
  const Id128 answering{0x0190f4c27a3e7c41ULL, 5};
  endpoints.set(answering, "http://answering.test/hooks", kSecret);
  Hang hang;
  FakeTransport transport([&](const WebhookRequest& request, int) {
    if (request.url == "http://merchant.test/hooks") hang.wait();
    return answer(200);
  });
  start(transport, 4, 32, 0, [](DispatcherOptions& options) {
    options.threads = 2;
    options.slow_attempt_ns = 100'000'000;  // 0.1 s
  });
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1)}).ok());
  ASSERT_TRUE(eventually([&] { return hang.waiting() == 1; }));
  ASSERT_TRUE(
      outbox->enqueue({make_event(answering, "pr_c", 1), make_event(answering, "pr_d", 1)}).ok());
  EXPECT_TRUE(
      eventually([&] { return count(DeliveryStatus::delivered, answering) == 2; }, [] {}, 10));
  EXPECT_EQ(count(DeliveryStatus::delivered), 0);
  hang.release();
  ASSERT_TRUE(eventually([&] { return count(DeliveryStatus::delivered) == 1; }));
}

TEST_F(WebhookDispatcherTest, AMerchantWithoutAUrlGetsSkippedDeliveries) {
  FakeTransport transport([](const WebhookRequest&, int) { return answer(200); });
  start(transport);
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchantWithoutUrl, "pr_x", 1), make_event(kMerchantWithoutUrl, "pr_x", 2),
                               make_event(kMerchant, "pr_a", 1)})
                  .ok());
  ASSERT_TRUE(eventually([&] {
    return count(DeliveryStatus::skipped, kMerchantWithoutUrl) == 2 && count(DeliveryStatus::delivered) == 1;
  }));
  for (const WebhookRequest& request : transport.requests()) EXPECT_EQ(request.url, "http://merchant.test/hooks");
  Result<DeliveryPage> skipped = outbox->list(DeliveryQuery{kMerchantWithoutUrl, {}, {}, 10, {}});
  EXPECT_EQ(skipped->items.at(0).last_error, "the merchant has no webhook URL");
  EXPECT_EQ(skipped->items.at(0).attempts, 0);
}

}  // namespace
}  // namespace mpay::notify::webhooks
