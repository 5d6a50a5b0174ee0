// The outbox's fresh lane over a real webhooks.db: new events are offered before anything is
// stored, stored once with their first attempt, and a subject's order holds across the lane, the
// store, replays and a restart.
#include <gtest/gtest.h>

#include <algorithm>

#include "notify/webhooks/webhook_outbox.h"
#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 1};

class WebhookOutboxFreshTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    Result<std::unique_ptr<WebhookOutbox>> opened =
        WebhookOutbox::open(directory.path(), clock, ids);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    outbox = std::move(*opened);
    outbox->set_on_fresh_work([this](std::vector<DueDelivery> fresh) {
      for (DueDelivery& item : fresh) offered.push_back(std::move(item));
    });
  }

  // The event ids offered since the last call.
  std::vector<std::string> take_offered() {
    std::vector<std::string> event_ids;
    for (const DueDelivery& item : offered) event_ids.push_back(item.event.event_id);
    last_offered = std::move(offered);
    offered.clear();
    return event_ids;
  }

  const DeliveryRecord& offered_delivery(const std::string& event_id) {
    for (const DueDelivery& item : last_offered) {
      if (item.event.event_id == event_id) return item.delivery;
    }
    ADD_FAILURE() << event_id << " was not offered";
    static DeliveryRecord none;
    return none;
  }

  Status record(const DeliveryRecord& delivery, unsigned http_status) {
    AttemptRecord attempt{delivery.attempts + 1, clock.now_ns(), http_status,
                          http_status == 200 ? "" : "http_status", 2000};
    bool ok = http_status == 200;
    return outbox->record_attempt(delivery, attempt,
                                  ok ? DeliveryStatus::delivered : DeliveryStatus::pending,
                                  ok ? 0 : clock.now_ns() + 10 * kSecondNs);
  }

  std::vector<std::string> due_event_ids() {
    Result<std::vector<DueDelivery>> due = outbox->due(clock.now_ns(), 100);
    EXPECT_TRUE(due.ok());
    std::vector<std::string> event_ids;
    for (const DueDelivery& item : *due) event_ids.push_back(item.event.event_id);
    std::sort(event_ids.begin(), event_ids.end());
    return event_ids;
  }

  DeliveryRecord due_one(const std::string& event_id) {
    Result<std::vector<DueDelivery>> due = outbox->due(clock.now_ns(), 100);
    EXPECT_TRUE(due.ok());
    for (const DueDelivery& item : *due) {
      if (item.event.event_id == event_id) return item.delivery;
    }
    ADD_FAILURE() << event_id << " is not due";
    return {};
  }

  // (event id, status) of every stored delivery, oldest first.
  std::vector<std::pair<std::string, std::string>> stored() {
    Result<DeliveryPage> page = outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}});
    EXPECT_TRUE(page.ok());
    std::vector<std::pair<std::string, std::string>> rows;
    for (const DeliveryRecord& delivery : page->items) {
      rows.emplace_back(delivery.event_id, std::string(status_name(delivery.status)));
    }
    std::reverse(rows.begin(), rows.end());
    return rows;
  }

  using Rows = std::vector<std::pair<std::string, std::string>>;

  mpay::testing::TempDirectory directory;
  ManualClock clock{1764072000LL * kSecondNs};
  SeededRandom random{5};
  UuidV7Generator ids{clock, random};
  std::unique_ptr<WebhookOutbox> outbox;
  std::vector<DueDelivery> offered;
  std::vector<DueDelivery> last_offered;
};

TEST_F(WebhookOutboxFreshTest, NewEventsAreOfferedFirstAndStoredOnceWithTheirFirstAttempt) {
  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_b", 1)})
          .ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_1", "evt_pr_b_1"}));
  EXPECT_TRUE(stored().empty());  // nothing written yet
  EXPECT_TRUE(due_event_ids().empty());
  EXPECT_EQ(*outbox->pending_count(), 2);  // but counted as pending

  DeliveryRecord delivery = offered_delivery("evt_pr_a_1");
  EXPECT_EQ(delivery.seq, 0);
  ASSERT_TRUE(record(delivery, 200).ok());
  ASSERT_TRUE(record(offered_delivery("evt_pr_b_1"), 200).ok());
  EXPECT_EQ(stored(), (Rows{{"evt_pr_a_1", "delivered"}, {"evt_pr_b_1", "delivered"}}));
  EXPECT_EQ(*outbox->pending_count(), 0);
  EXPECT_TRUE(take_offered().empty());

  Result<std::optional<DeliveryDetail>> detail = outbox->find(kMerchant, delivery.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_TRUE(detail->has_value());
  const DeliveryDetail& found = **detail;
  EXPECT_EQ(found.delivery.attempts, 1);
  EXPECT_EQ(found.delivery.last_http_status, 200u);
  EXPECT_EQ(found.delivery.first_attempt_at_ns, clock.now_ns());
  EXPECT_EQ(found.delivery.finished_at_ns, clock.now_ns() + 2000);
  ASSERT_EQ(found.attempts.size(), 1u);
  EXPECT_EQ(found.attempts[0].http_status, 200u);

  // Known now: the same event enqueued again (a republish) is ignored.
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_a", 1)}).ok());
  EXPECT_EQ(stored().size(), 2u);
}

TEST_F(WebhookOutboxFreshTest, ASubjectsNextEventIsOfferedOnlyOnceTheOneBeforeItIsRecorded) {
  ASSERT_TRUE(
      outbox
          ->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                           make_event(kMerchant, "pr_a", 3)})
          .ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_1"}));
  ASSERT_TRUE(record(offered_delivery("evt_pr_a_1"), 200).ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_2"}));
  ASSERT_TRUE(record(offered_delivery("evt_pr_a_2"), 200).ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_3"}));
  ASSERT_TRUE(record(offered_delivery("evt_pr_a_3"), 200).ok());
  EXPECT_TRUE(take_offered().empty());
  EXPECT_EQ(stored(), (Rows{{"evt_pr_a_1", "delivered"},
                            {"evt_pr_a_2", "delivered"},
                            {"evt_pr_a_3", "delivered"}}));
}

TEST_F(WebhookOutboxFreshTest, AFailedFirstAttemptHandsTheSubjectToTheStoreInOrder) {
  ASSERT_TRUE(
      outbox
          ->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                           make_event(kMerchant, "pr_a", 3)})
          .ok());
  ASSERT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_1"}));
  ASSERT_TRUE(record(offered_delivery("evt_pr_a_1"), 503).ok());
  EXPECT_TRUE(take_offered().empty());
  EXPECT_EQ(
      stored(),
      (Rows{{"evt_pr_a_1", "pending"}, {"evt_pr_a_2", "pending"}, {"evt_pr_a_3", "pending"}}));
  EXPECT_TRUE(due_event_ids().empty());  // its retry is 10 s away; the others are behind it

  // A new event of the subject goes to the store too, behind the others.
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 4)}).ok());
  EXPECT_TRUE(take_offered().empty());

  clock.advance_ns(10 * kSecondNs);
  for (int index = 1; index <= 4; ++index) {
    std::string event_id = "evt_pr_a_" + std::to_string(index);
    ASSERT_EQ(due_event_ids(), (std::vector<std::string>{event_id}));
    ASSERT_TRUE(record(due_one(event_id), 200).ok());
  }
  EXPECT_TRUE(due_event_ids().empty());
  Result<DeliveryPage> page = outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}});
  ASSERT_TRUE(page.ok());
  Result<std::optional<DeliveryDetail>> first = outbox->find(kMerchant, page->items.back().id);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->delivery.event_id, "evt_pr_a_1");
  EXPECT_EQ((*first)->attempts.size(), 2u);  // the lane's failed attempt, then the store's

  // Nothing of the subject is pending any more: the lane takes it again.
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 5)}).ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_5"}));
}

TEST_F(WebhookOutboxFreshTest, AReplayWaitsBehindTheDeliveryInFlightAndTheOnesWaitingBehindIt) {
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1)}).ok());
  take_offered();
  DeliveryRecord first = offered_delivery("evt_pr_a_1");
  ASSERT_TRUE(record(first, 200).ok());

  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 2), make_event(kMerchant, "pr_a", 3)})
          .ok());
  ASSERT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_2"}));
  Result<DeliveryRecord> replay = outbox->replay(kMerchant, first.id);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(due_event_ids().empty());  // pr_a_2 is still in flight

  ASSERT_TRUE(record(offered_delivery("evt_pr_a_2"), 200).ok());
  EXPECT_TRUE(take_offered().empty());  // the store has the subject now
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_3"}));
  ASSERT_TRUE(record(due_one("evt_pr_a_3"), 200).ok());
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1"}));  // the replay, last
  ASSERT_TRUE(record(due_one("evt_pr_a_1"), 200).ok());
  EXPECT_EQ(stored(), (Rows{{"evt_pr_a_1", "delivered"},
                            {"evt_pr_a_3", "delivered"},
                            {"evt_pr_a_1", "delivered"},
                            {"evt_pr_a_2", "delivered"}}));
}

// An event enqueued the ordinary way (republished at start) for a subject in the lane: the ones
// waiting in the lane are stored ahead of it, and all wait for the one in flight.
TEST_F(WebhookOutboxFreshTest, AnOrdinaryEnqueueStoresTheSubjectsWaitingOnesAheadOfIt) {
  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)})
          .ok());
  ASSERT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_1"}));
  ASSERT_TRUE(
      outbox->enqueue({make_event(kMerchant, "pr_a", 3), make_event(kMerchant, "pr_a", 4)}).ok());
  EXPECT_TRUE(due_event_ids().empty());  // pr_a_1 is in flight
  EXPECT_EQ(*outbox->pending_count(), 4);
  ASSERT_TRUE(record(offered_delivery("evt_pr_a_1"), 200).ok());
  EXPECT_TRUE(take_offered().empty());
  for (int index = 2; index <= 4; ++index) {
    std::string event_id = "evt_pr_a_" + std::to_string(index);
    ASSERT_EQ(due_event_ids(), (std::vector<std::string>{event_id}));
    ASSERT_TRUE(record(due_one(event_id), 200).ok());
  }
  EXPECT_EQ(*outbox->pending_count(), 0);
}

TEST_F(WebhookOutboxFreshTest, ClosingStoresWhatIsStillInTheLaneAsPendingInOrder) {
  ASSERT_TRUE(
      outbox
          ->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                           make_event(kMerchant, "pr_b", 1)})
          .ok());
  ASSERT_EQ(take_offered().size(), 2u);
  outbox.reset();
  open();
  EXPECT_EQ(*outbox->pending_count(), 3);
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1", "evt_pr_b_1"}));
  ASSERT_TRUE(record(due_one("evt_pr_a_1"), 200).ok());
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_2", "evt_pr_b_1"}));
  // Reopened with pr_a and pr_b pending in the store: their new events queue behind them.
  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_b", 2), make_event(kMerchant, "pr_c", 1)})
          .ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_c_1"}));
  ASSERT_TRUE(record(due_one("evt_pr_b_1"), 200).ok());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_2", "evt_pr_b_2"}));
}

TEST_F(WebhookOutboxFreshTest, SkippingAFreshDeliveryStoresItSkippedAndOffersTheNext) {
  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)})
          .ok());
  take_offered();
  ASSERT_TRUE(
      outbox
          ->skip(offered_delivery("evt_pr_a_1"), "the merchant has no webhook URL", clock.now_ns())
          .ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_2"}));
  EXPECT_EQ(stored(), (Rows{{"evt_pr_a_1", "skipped"}}));
  Result<DeliveryPage> page = outbox->list(DeliveryQuery{kMerchant, {}, {}, 100, {}});
  EXPECT_EQ(page->items[0].last_error, "the merchant has no webhook URL");
  EXPECT_EQ(page->items[0].attempts, 0);
}

TEST_F(WebhookOutboxFreshTest, ARecordOfADeliveryNotInFlightStoresNothing) {
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1)}).ok());
  take_offered();
  DeliveryRecord delivery = offered_delivery("evt_pr_a_1");
  ASSERT_TRUE(record(delivery, 200).ok());
  ASSERT_TRUE(record(delivery, 200).ok());  // again (a retry of a write that did succeed)
  EXPECT_EQ(stored().size(), 1u);
}

// A stored delivery's outcome recorded twice (a stale retry) finishes it once: the subject's
// other pending delivery still holds new events back from the lane.
TEST_F(WebhookOutboxFreshTest, AStaleRecordOfAStoredDeliveryDoesNotFreeItsSubject) {
  ASSERT_TRUE(
      outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)}).ok());
  DeliveryRecord first = due_one("evt_pr_a_1");
  ASSERT_TRUE(record(first, 200).ok());
  ASSERT_TRUE(record(first, 200).ok());
  ASSERT_TRUE(outbox->skip(first, "stale", clock.now_ns()).ok());
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 3)}).ok());
  EXPECT_TRUE(take_offered().empty());
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_2"}));
  ASSERT_TRUE(record(due_one("evt_pr_a_2"), 200).ok());
  ASSERT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_3"}));
  ASSERT_TRUE(record(due_one("evt_pr_a_3"), 200).ok());
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 4)}).ok());
  EXPECT_EQ(take_offered(), (std::vector<std::string>{"evt_pr_a_4"}));
}

// What the start's republish window is measured from: the event stored last, by either way in.
TEST_F(WebhookOutboxFreshTest, TheNewestStoredEventIsTheLastOneWritten) {
  EXPECT_FALSE(outbox->newest_event_at_ns()->has_value());
  ASSERT_TRUE(
      outbox->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_b", 2)}).ok());
  EXPECT_EQ(*outbox->newest_event_at_ns(), make_event(kMerchant, "pr_b", 2).created_at_ns);
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_c", 3)}).ok());
  take_offered();
  EXPECT_EQ(*outbox->newest_event_at_ns(),
            make_event(kMerchant, "pr_b", 2).created_at_ns);  // in the lane
  ASSERT_TRUE(record(offered_delivery("evt_pr_c_3"), 200).ok());
  EXPECT_EQ(*outbox->newest_event_at_ns(), make_event(kMerchant, "pr_c", 3).created_at_ns);
}

TEST_F(WebhookOutboxFreshTest, WithoutAFreshWorkCallbackNewEventsAreStored) {
  outbox->set_on_fresh_work(nullptr);
  ASSERT_TRUE(
      outbox->enqueue_fresh({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2)})
          .ok());
  EXPECT_TRUE(take_offered().empty());
  EXPECT_EQ(due_event_ids(), (std::vector<std::string>{"evt_pr_a_1"}));
  // Validated like enqueue(): one bad event refuses the batch.
  WebhookEvent bad = make_event(kMerchant, "pr_b", 1);
  bad.payload_json = "[]";
  outbox.reset();
  open();
  EXPECT_FALSE(outbox->enqueue_fresh({make_event(kMerchant, "pr_c", 1), bad}).ok());
  EXPECT_TRUE(take_offered().empty());
}

// An event the store already has, handed to enqueue_fresh while its subject has a delivery
// pending in the store: nothing is added, and once that delivery is finished the subject's new
// events take the fresh lane again.
TEST_F(WebhookOutboxFreshTest, AKnownEventThroughTheStoreLeavesTheSubjectsCountAsItWas) {
  ASSERT_TRUE(outbox->enqueue({make_event(kMerchant, "pr_k", 1)}).ok());
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_k", 1)}).ok());  // known id
  EXPECT_TRUE(take_offered().empty());
  EXPECT_EQ(*outbox->pending_count(), 1);
  ASSERT_TRUE(record(due_one("evt_pr_k_1"), 200).ok());
  EXPECT_EQ(*outbox->pending_count(), 0);
  ASSERT_TRUE(outbox->enqueue_fresh({make_event(kMerchant, "pr_k", 2)}).ok());
  EXPECT_EQ(take_offered(), std::vector<std::string>{"evt_pr_k_2"})
      << "nothing of pr_k is pending, yet its new event went to the store";
}

}  // namespace
}  // namespace mpay::notify::webhooks
