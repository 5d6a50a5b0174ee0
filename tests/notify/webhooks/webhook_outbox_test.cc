#include "notify/webhooks/webhook_outbox.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 1};
const Id128 kOtherMerchant{0x0190f4c27a3e7c41ULL, 2};

class WebhookOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<WebhookOutbox>> opened = WebhookOutbox::open(directory.path(), clock, ids);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    outbox = std::move(*opened);
  }

  std::vector<std::string> due_event_ids() {
    Result<std::vector<DueDelivery>> due = outbox->due(clock.now_ns(), 100);
    EXPECT_TRUE(due.ok());
    std::vector<std::string> ids;
    for (const DueDelivery& item : *due) ids.push_back(item.event.event_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  DeliveryRecord due_one(const std::string& event_id) {
    Result<std::vector<DueDelivery>> due = outbox->due(clock.now_ns(), 100);
    EXPECT_TRUE(due.ok());
    if (!due.ok()) return {};
    for (const DueDelivery& item : *due) {
      if (item.event.event_id == event_id) return item.delivery;
    }
    ADD_FAILURE() << event_id << " is not due";
    return {};
  }

  void deliver(const DeliveryRecord& delivery) {
    AttemptRecord attempt{delivery.attempts + 1, clock.now_ns(), 200, "", 1000};
    ASSERT_TRUE(outbox->record_attempt(delivery, attempt, DeliveryStatus::delivered, 0).ok());
  }

  mpay::testing::TempDirectory directory;
  ManualClock clock{1764072000LL * kSecondNs};
  SeededRandom random{3};
  UuidV7Generator ids{clock, random};
  std::unique_ptr<WebhookOutbox> outbox;
};

TEST_F(WebhookOutboxTest, EnqueueIsIdempotentByEventId) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_b", 1)}).ok());
  WebhookEvent changed = make_event(kMerchant, "pr_a", 1);
  changed.type = "payment_request.failed";  // same id, other content: still a no-op
  ASSERT_TRUE(outbox->enqueue({changed, make_event(kMerchant, "pr_b", 1), make_event(kMerchant, "pr_c", 1)}).ok());
  // The same event twice in one batch is one event too.
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_d", 1), make_event(kMerchant, "pr_d", 1)}).ok());
  Result<DeliveryPage> page = outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 4u);
  for (const DeliveryRecord& delivery : page->items) {
    if (delivery.event_id == "evt_pr_a_1") {
      EXPECT_EQ(delivery.type, "payment_request.succeeded");
    }
  }
  EXPECT_EQ(*outbox->pending_count(), 4);
}

TEST_F(WebhookOutboxTest, AnInvalidEventRejectsTheWholeBatch) {
  WebhookEvent bad = make_event(kMerchant, "pr_a", 2);
  bad.payload_json = "not json";
  Status status = outbox->enqueue({make_event(kMerchant, "pr_a", 1), bad});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "event_invalid");
  EXPECT_EQ(*outbox->pending_count(), 0);
}

TEST_F(WebhookOutboxTest, OnlyTheOldestPendingDeliveryOfASubjectIsDue) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                               make_event(kMerchant, "pr_b", 1)})
                  .ok());
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 3)}).ok());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1", "evt_pr_b_1"}));

  // A failed attempt keeps the head (and so blocks the subject) until its retry time.
  DeliveryRecord a1 = due_one("evt_pr_a_1");
  AttemptRecord failed{1, clock.now_ns(), 500, "http_status", 1000};
  ASSERT_TRUE(outbox->record_attempt(a1, failed, DeliveryStatus::pending, clock.now_ns() + 60 * kSecondNs).ok());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_b_1"}));
  Result<std::optional<int64_t>> next = outbox->next_due_at_ns();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(**next, clock.now_ns());  // pr_b is due now
  clock.advance_ns(60 * kSecondNs);
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1", "evt_pr_b_1"}));

  deliver(due_one("evt_pr_a_1"));
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_2", "evt_pr_b_1"}));
  // Giving up also lets the next one through.
  DeliveryRecord a2 = due_one("evt_pr_a_2");
  ASSERT_TRUE(outbox->record_attempt(a2, {1, clock.now_ns(), 0, "timeout", 5}, DeliveryStatus::failed, 0).ok());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_3", "evt_pr_b_1"}));
  ASSERT_TRUE(outbox->skip(due_one("evt_pr_a_3"), "no url", clock.now_ns()).ok());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_b_1"}));

  Result<std::optional<DeliveryDetail>> detail = outbox->find(kMerchant, a1.id);
  ASSERT_TRUE(detail.ok() && detail->has_value());
  EXPECT_EQ((*detail)->delivery.status, DeliveryStatus::delivered);
  EXPECT_EQ((*detail)->delivery.attempts, 2);
  ASSERT_EQ((*detail)->attempts.size(), 2u);
  EXPECT_EQ((*detail)->attempts[0].http_status, 500u);
  EXPECT_EQ((*detail)->attempts[1].http_status, 200u);
  EXPECT_EQ((*detail)->delivery.first_attempt_at_ns, failed.at_ns);
}

TEST_F(WebhookOutboxTest, RecordAttemptsWritesSeveralOutcomesAndPromotesEachSubjectsNext) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                               make_event(kMerchant, "pr_b", 1), make_event(kMerchant, "pr_b", 2)})
                  .ok());
  DeliveryRecord a1 = due_one("evt_pr_a_1");
  DeliveryRecord b1 = due_one("evt_pr_b_1");
  int64_t retry_at = clock.now_ns() + 60 * kSecondNs;
  ASSERT_TRUE(outbox
                  ->record_attempts({AttemptOutcome{a1, {1, clock.now_ns(), 200, "", 1000}, DeliveryStatus::delivered, 0},
                                     AttemptOutcome{b1, {1, clock.now_ns(), 503, "http_status", 1000},
                                                    DeliveryStatus::pending, retry_at}})
                  .ok());
  // a's next event is its head now; b's first is still the head, waiting for its retry.
  Result<std::vector<DueDelivery>> due = outbox->due(clock.now_ns(), 100);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].event.event_id, "evt_pr_a_2");
  clock.advance_ns(61 * kSecondNs);
  due_one("evt_pr_b_1");
  Result<std::optional<DeliveryDetail>> b1_detail = outbox->find(kMerchant, b1.id);
  ASSERT_TRUE(b1_detail.ok() && b1_detail->has_value());
  EXPECT_EQ((*b1_detail)->delivery.attempts, 1);
  EXPECT_EQ((*b1_detail)->delivery.last_http_status, 503u);
  EXPECT_EQ(*outbox->pending_count(), 3);
}

TEST_F(WebhookOutboxTest, ReplayQueuesBehindTheSubjectsPendingDeliveries) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)}).ok());
  DeliveryRecord first = due_one("evt_pr_a_1");
  deliver(first);
  Result<DeliveryRecord> replayed = outbox->replay(kMerchant, first.id);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  EXPECT_NE(replayed->id, first.id);
  EXPECT_EQ(replayed->event_id, "evt_pr_a_1");
  EXPECT_EQ(replayed->status, DeliveryStatus::pending);
  ASSERT_TRUE(replayed->replay_of.has_value());
  EXPECT_EQ(*replayed->replay_of, first.id);
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_2"}));
  deliver(due_one("evt_pr_a_2"));
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1"}));
  EXPECT_EQ(due_one("evt_pr_a_1").id, replayed->id);

  // Another merchant cannot see or replay it.
  EXPECT_EQ(outbox->replay(kOtherMerchant, first.id).error().code, "not_found");
  EXPECT_FALSE(outbox->find(kOtherMerchant, first.id)->has_value());
}

TEST_F(WebhookOutboxTest, ListsNewestFirstWithFiltersAndACursor) {
  std::vector<WebhookEvent> events;
  for (int i = 1; i <= 5; ++i) events.push_back(make_event(kMerchant, "pr_a", i));
  for (int i = 1; i <= 2; ++i) events.push_back(make_event(kMerchant, "pr_b", i));
  events.push_back(make_event(kOtherMerchant, "pr_z", 1));
  ASSERT_TRUE(outbox->enqueue(events).ok());
  deliver(due_one("evt_pr_b_1"));

  Result<DeliveryPage> first = outbox->list(DeliveryQuery{kMerchant, std::string("pr_a"), {}, 2, {}});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].event_id, "evt_pr_a_5");
  EXPECT_EQ(first->items[1].event_id, "evt_pr_a_4");
  ASSERT_TRUE(first->next_after.has_value());
  std::vector<std::string> seen;
  std::optional<Id128> after = first->next_after;
  while (after) {
    Result<DeliveryPage> page = outbox->list(DeliveryQuery{kMerchant, std::string("pr_a"), {}, 2, after});
    ASSERT_TRUE(page.ok());
    for (const DeliveryRecord& delivery : page->items) seen.push_back(delivery.event_id);
    after = page->next_after;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"evt_pr_a_3", "evt_pr_a_2", "evt_pr_a_1"}));

  Result<DeliveryPage> delivered = outbox->list(DeliveryQuery{kMerchant, {}, DeliveryStatus::delivered, 10, {}});
  ASSERT_EQ(delivered->items.size(), 1u);
  EXPECT_EQ(delivered->items[0].event_id, "evt_pr_b_1");
  EXPECT_FALSE(delivered->next_after.has_value());
  EXPECT_EQ(outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}})->items.size(), 7u);
  EXPECT_EQ(outbox->list(DeliveryQuery{kOtherMerchant, {}, {}, 100, {}})->items.size(), 1u);
  // Another merchant's delivery is no cursor of mine.
  Id128 foreign = outbox->list(DeliveryQuery{kOtherMerchant, {}, {}, 1, {}})->items[0].id;
  EXPECT_EQ(outbox->list(DeliveryQuery{kMerchant, {}, {}, 10, foreign}).error().code, "cursor_invalid");
}

TEST_F(WebhookOutboxTest, PruneDeletesOnlyOldFinishedDeliveries) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_b", 1)}).ok());
  DeliveryRecord a1 = due_one("evt_pr_a_1");
  deliver(a1);
  clock.advance_ns(31 * 24 * kHourNs);
  Result<int64_t> pruned = outbox->prune(clock.now_ns() - 30 * 24 * kHourNs);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(outbox->find(kMerchant, a1.id)->has_value());
  EXPECT_EQ(*outbox->pending_count(), 1);  // pending ones are never pruned
  EXPECT_EQ(outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}})->items.size(), 1u);
}

// A clock that runs `once` the next time it is read: a replay reads it between finding the
// delivery to replay and writing the replay, which is where a prune can come in between.
class ClockWithAHook final : public Clock {
 public:
  explicit ClockWithAHook(int64_t start_ns) : clock_(start_ns) {}
  int64_t now_ns() override {
    if (once) std::exchange(once, nullptr)();
    return clock_.now_ns();
  }
  void advance_ns(int64_t ns) { clock_.advance_ns(ns); }
  std::function<void()> once;

 private:
  ManualClock clock_;
};

TEST(WebhookOutboxPrune, AReplayRacingThePruneOfItsEventIsRefusedNotLeftWithoutItsEvent) {
  mpay::testing::TempDirectory directory;
  ClockWithAHook clock{1764072000LL * kSecondNs};
  SeededRandom random{4};
  UuidV7Generator ids{clock, random};
  auto outbox = WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  ASSERT_TRUE((*outbox)->enqueue({make_event(kMerchant, "pr_a", 1)}).ok());
  Result<std::vector<DueDelivery>> due = (*outbox)->due(clock.now_ns(), 10);
  ASSERT_TRUE(due.ok() && due->size() == 1u);
  const DeliveryRecord delivered = due->front().delivery;
  AttemptRecord ok{1, clock.now_ns(), 200, "", 1000};
  ASSERT_TRUE((*outbox)->record_attempt(delivered, ok, DeliveryStatus::delivered, 0).ok());
  clock.advance_ns(31 * 24 * kHourNs);

  // The merchant replays it just as the 30-day prune removes it and its event.
  clock.once = [&] {
    Result<int64_t> pruned = (*outbox)->prune(clock.now_ns() - 30 * 24 * kHourNs);
    EXPECT_TRUE(pruned.ok() && *pruned == 1);
  };
  Result<DeliveryRecord> replayed = (*outbox)->replay(kMerchant, delivered.id);
  EXPECT_FALSE(clock.once) << "the prune did not run during the replay";
  ASSERT_FALSE(replayed.ok()) << "a replay of a pruned event was stored";
  EXPECT_EQ(replayed.error().code, "not_found");
  // Nothing is left pending that could never be sent.
  EXPECT_EQ(*(*outbox)->pending_count(), 0);
  EXPECT_TRUE((*outbox)->list(DeliveryQuery{kMerchant, {}, {}, 100, {}})->items.empty());
}

}  // namespace
}  // namespace mpay::notify::webhooks
