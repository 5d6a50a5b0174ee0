// The fresh lane's bookkeeping: which deliveries go out at once, which wait, which go to the
// store, and what an attempt's outcome does to the subject (order per subject in every case).
#include "notify/webhooks/fresh_lane.h"

#include <gtest/gtest.h>

#include "notify/webhooks/webhook_test_support.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;
using Route = FreshLane::Route;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 1};
const Id128 kOtherMerchant{0x0190f4c27a3e7c41ULL, 2};

DueDelivery item(const Id128& merchant, const std::string& subject, int index) {
  DueDelivery due;
  due.event = make_event(merchant, subject, index);
  due.delivery.id = Id128{static_cast<uint64_t>(index) + 1, merchant.low * 1000 + subject.size()};
  due.delivery.event_id = due.event.event_id;
  due.delivery.merchant_id = merchant;
  due.delivery.subject_id = subject;
  due.delivery.type = due.event.type;
  return due;
}

std::vector<std::string> event_ids(const std::vector<DueDelivery>& items) {
  std::vector<std::string> ids;
  for (const DueDelivery& due : items) ids.push_back(due.event.event_id);
  return ids;
}

TEST(FreshLaneTest, ASubjectHasOneDeliveryInFlightAndTheRestWaitInOrder) {
  FreshLane lane;
  DueDelivery first = item(kMerchant, "pr_a", 1);
  EXPECT_EQ(lane.admit(first), Route::send_now);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::wait);
  // Another subject, and the same subject id of another merchant, are independent.
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_b", 1)), Route::send_now);
  EXPECT_EQ(lane.admit(item(kOtherMerchant, "pr_a", 1)), Route::send_now);
  EXPECT_EQ(lane.size(), 5u);

  FreshLane::AfterAttempt after =
      lane.attempted(kMerchant, "pr_a", first.delivery.id, /*finished=*/true);
  ASSERT_TRUE(after.attempted);
  EXPECT_EQ(after.attempted->event.event_id, "evt_pr_a_1");
  ASSERT_TRUE(after.send_next);
  EXPECT_EQ(after.send_next->event.event_id, "evt_pr_a_2");
  EXPECT_TRUE(after.store_pending.empty());
  EXPECT_FALSE(after.promote);

  after = lane.attempted(kMerchant, "pr_a", item(kMerchant, "pr_a", 2).delivery.id, true);
  ASSERT_TRUE(after.send_next);
  EXPECT_EQ(after.send_next->event.event_id, "evt_pr_a_3");
  after = lane.attempted(kMerchant, "pr_a", item(kMerchant, "pr_a", 3).delivery.id, true);
  EXPECT_FALSE(after.send_next);
  EXPECT_FALSE(lane.in_flight(kMerchant, "pr_a"));
  EXPECT_EQ(lane.size(), 2u);
  // The subject is free again: its next event goes out at once.
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 4)), Route::send_now);
}

TEST(FreshLaneTest, AFailedAttemptHandsTheSubjectToTheStoreWithItsWaitingDeliveriesBehindIt) {
  FreshLane lane;
  DueDelivery first = item(kMerchant, "pr_a", 1);
  ASSERT_EQ(lane.admit(first), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::wait);

  FreshLane::AfterAttempt after =
      lane.attempted(kMerchant, "pr_a", first.delivery.id, /*finished=*/false);
  ASSERT_TRUE(after.attempted);
  EXPECT_FALSE(after.send_next);
  EXPECT_EQ(event_ids(after.store_pending), (std::vector<std::string>{"evt_pr_a_2", "evt_pr_a_3"}));
  EXPECT_FALSE(lane.in_flight(kMerchant, "pr_a"));
  EXPECT_EQ(lane.size(), 0u);

  // Three of the subject are pending in the store now: until all have finished, its new events
  // go to the store behind them.
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 4)), Route::store);
  for (int finished = 0; finished < 4; ++finished) {
    EXPECT_EQ(lane.admit(item(kMerchant, "pr_b", 10 + finished)),
              finished == 0 ? Route::send_now : Route::wait);
    lane.stored_pending_finished(kMerchant, "pr_a");
  }
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 5)), Route::send_now);
}

TEST(FreshLaneTest, SubjectsWithStoredPendingDeliveriesUseTheStore) {
  FreshLane lane;
  lane.stored_pending_added(kMerchant, "pr_a", 2);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 1)), Route::store);  // counted: now 3
  lane.stored_pending_finished(kMerchant, "pr_a");
  lane.stored_pending_finished(kMerchant, "pr_a");
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::store);
  lane.stored_pending_finished(kMerchant, "pr_a");
  lane.stored_pending_finished(kMerchant, "pr_a");
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::send_now);
  lane.stored_pending_finished(kMerchant, "pr_unknown");  // no count: ignored
  EXPECT_EQ(lane.size(), 1u);
}

TEST(FreshLaneTest, AFullLaneSendsNewSubjectsToTheStoreButKeepsASubjectsOrder) {
  FreshLane lane(2);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 1)), Route::send_now);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_b", 1)), Route::send_now);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_c", 1)), Route::store);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_c", 2)), Route::store);  // behind its stored one
  // Storing pr_a's second event would let the store send it before the first finished.
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  EXPECT_EQ(lane.size(), 3u);
}

TEST(FreshLaneTest, YieldingWaitingDeliveriesPutsTheStoreBehindTheOneInFlight) {
  FreshLane lane;
  DueDelivery first = item(kMerchant, "pr_a", 1);
  ASSERT_EQ(lane.admit(first), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::wait);

  EXPECT_EQ(event_ids(lane.waiting(kMerchant, "pr_a")),
            (std::vector<std::string>{"evt_pr_a_2", "evt_pr_a_3"}));
  EXPECT_EQ(lane.size(), 3u);  // a look changes nothing
  EXPECT_TRUE(lane.waiting(kMerchant, "pr_b").empty());
  std::vector<DueDelivery> yielded = lane.yield_waiting(kMerchant, "pr_a");
  EXPECT_EQ(event_ids(yielded), (std::vector<std::string>{"evt_pr_a_2", "evt_pr_a_3"}));
  EXPECT_TRUE(lane.in_flight(kMerchant, "pr_a"));
  EXPECT_EQ(lane.size(), 1u);
  EXPECT_TRUE(lane.yield_waiting(kMerchant, "pr_a").empty());
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 4)), Route::store);

  // The one in flight finishes: the store's head takes over (promote), nothing more from here.
  FreshLane::AfterAttempt after =
      lane.attempted(kMerchant, "pr_a", first.delivery.id, /*finished=*/true);
  ASSERT_TRUE(after.attempted);
  EXPECT_TRUE(after.promote);
  EXPECT_FALSE(after.send_next);
  EXPECT_TRUE(after.store_pending.empty());
  EXPECT_FALSE(lane.in_flight(kMerchant, "pr_a"));
}

TEST(FreshLaneTest, AnAttemptOfAnotherDeliveryChangesNothing) {
  FreshLane lane;
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 1)), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  FreshLane::AfterAttempt after =
      lane.attempted(kMerchant, "pr_a", item(kMerchant, "pr_a", 2).delivery.id, true);
  EXPECT_FALSE(after.attempted);
  after = lane.attempted(kMerchant, "pr_z", item(kMerchant, "pr_z", 1).delivery.id, true);
  EXPECT_FALSE(after.attempted);
  EXPECT_EQ(lane.size(), 2u);
  EXPECT_TRUE(lane.in_flight(kMerchant, "pr_a"));
}

TEST(FreshLaneTest, UndoingAnAttemptWhoseWriteFailedRestoresTheSubject) {
  FreshLane lane;
  DueDelivery first = item(kMerchant, "pr_a", 1);
  ASSERT_EQ(lane.admit(first), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);

  // Delivered, the next went in flight; the write failed: the first is in flight again.
  lane.undo_attempted(lane.attempted(kMerchant, "pr_a", first.delivery.id, true));
  EXPECT_EQ(lane.size(), 2u);
  FreshLane::AfterAttempt again = lane.attempted(kMerchant, "pr_a", first.delivery.id, true);
  ASSERT_TRUE(again.attempted);
  ASSERT_TRUE(again.send_next);
  EXPECT_EQ(again.send_next->event.event_id, "evt_pr_a_2");
  lane.undo_attempted(std::move(again));

  // Still pending, so it and the waiting one were to be stored; the write failed: both are back,
  // and the subject's counts with them (its next event waits in the lane).
  lane.undo_attempted(lane.attempted(kMerchant, "pr_a", first.delivery.id, false));
  EXPECT_EQ(lane.size(), 2u);
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::wait);
  std::vector<DueDelivery> all = lane.take_all();
  EXPECT_EQ(event_ids(all), (std::vector<std::string>{"evt_pr_a_1", "evt_pr_a_2", "evt_pr_a_3"}));
}

TEST(FreshLaneTest, TakingAllGivesEachSubjectInFlightFirstAndEmptiesTheLane) {
  FreshLane lane;
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 1)), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_b", 1)), Route::send_now);
  ASSERT_EQ(lane.admit(item(kMerchant, "pr_a", 2)), Route::wait);
  std::vector<DueDelivery> all = lane.take_all();
  ASSERT_EQ(all.size(), 3u);
  std::vector<std::string> ids = event_ids(all);
  auto position = [&](const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) - ids.begin();
  };
  EXPECT_EQ(position("evt_pr_a_2"), position("evt_pr_a_1") + 1);  // a subject's run is contiguous
  EXPECT_EQ(lane.size(), 0u);
  EXPECT_FALSE(lane.in_flight(kMerchant, "pr_a"));
  EXPECT_EQ(lane.admit(item(kMerchant, "pr_a", 3)), Route::send_now);
}

}  // namespace
}  // namespace mpay::notify::webhooks
