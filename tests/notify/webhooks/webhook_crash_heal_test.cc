// A process killed while a fresh-lane delivery is in flight, with more of its subject stored
// behind it (a replay, a later event), leaves that subject with pending deliveries and no head.
// Reopening must heal it: the lost event, republished at start, goes first, then the rest in
// order; without a republish the oldest pending one is due after the grace period, and a
// republish later than that goes first only if no head was handed out in between.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify/webhooks/webhook_outbox.h"
#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 9};
const int64_t kStartNs = 1764072000LL * kSecondNs;

// The reviewer's sequence, in a child killed with SIGKILL: evt 1 delivered from the fresh lane;
// evt 2 in flight (nothing written); a replay of evt 1 and evt 3 stored meanwhile; killed.
void kill_with_a_delivery_in_flight(const std::string& directory) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ManualClock clock{kStartNs};
    SeededRandom random{1};
    UuidV7Generator ids{clock, random};
    auto outbox = WebhookOutbox::open(directory, clock, ids);
    if (!outbox.ok()) _exit(1);
    std::vector<DueDelivery> offered;
    (*outbox)->set_on_fresh_work([&](std::vector<DueDelivery> fresh) {
      for (DueDelivery& item : fresh) offered.push_back(item);
    });
    if (!(*outbox)->enqueue_fresh({make_event(kMerchant, "pr_a", 1)}).ok()) _exit(2);
    if (offered.size() != 1) _exit(2);
    AttemptRecord ok{1, clock.now_ns(), 200, "", 1000};
    if (!(*outbox)->record_attempt(offered[0].delivery, ok, DeliveryStatus::delivered, 0).ok()) {
      _exit(3);
    }
    Result<DeliveryPage> page = (*outbox)->list(DeliveryQuery{kMerchant, {}, {}, 10, {}});
    if (!page.ok() || page->items.size() != 1) _exit(4);
    offered.clear();
    if (!(*outbox)->enqueue_fresh({make_event(kMerchant, "pr_a", 2)}).ok()) _exit(5);
    if (offered.size() != 1) _exit(5);
    if (!(*outbox)->replay(kMerchant, page->items[0].id).ok()) _exit(6);
    if (!(*outbox)->enqueue_fresh({make_event(kMerchant, "pr_a", 3)}).ok()) _exit(7);
    raise(SIGKILL);
    _exit(8);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child stopped early at step " << WEXITSTATUS(status);
}

// Delivers the subject's due head, one at a time, and returns what went out, in order.
std::vector<std::string> deliver_in_turn(WebhookOutbox& outbox, ManualClock& clock) {
  std::vector<std::string> sent;
  for (int round = 0; round < 10; ++round) {
    Result<std::vector<DueDelivery>> due = outbox.due(clock.now_ns(), 10);
    EXPECT_TRUE(due.ok());
    if (!due.ok() || due->empty()) break;
    EXPECT_EQ(due->size(), 1u) << "two deliveries of one subject due at once";
    const DeliveryRecord& delivery = due->front().delivery;
    sent.push_back(delivery.event_id + (delivery.replay_of ? " (replay)" : ""));
    AttemptRecord ok{1, clock.now_ns(), 200, "", 1000};
    EXPECT_TRUE(outbox.record_attempt(delivery, ok, DeliveryStatus::delivered, 0).ok());
  }
  return sent;
}

// The outbox a child left as kill_with_a_delivery_in_flight() describes, opened again a second
// later (the restart).
class WebhookCrashHeal : public ::testing::Test {
 protected:
  void SetUp() override {
    kill_with_a_delivery_in_flight(directory_.path());
    if (HasFatalFailure()) return;
    auto opened = WebhookOutbox::open(directory_.path(), clock_, ids_, options_);
    ASSERT_TRUE(opened.ok());
    outbox_ = std::move(*opened);
  }

  // What mpayd's start republishes of the subject: evt 2 is the one lost in flight.
  Status republish_all() {
    return outbox_->enqueue({make_event(kMerchant, "pr_a", 1), make_event(kMerchant, "pr_a", 2),
                             make_event(kMerchant, "pr_a", 3)});
  }

  mpay::testing::TempDirectory directory_;
  ManualClock clock_{kStartNs + kSecondNs};
  SeededRandom random_{2};
  UuidV7Generator ids_{clock_, random_};
  OutboxOptions options_;
  std::unique_ptr<WebhookOutbox> outbox_;
};

TEST_F(WebhookCrashHeal, ReplayDuringFreshInFlightThenKill9WedgesTheSubject) {
  ASSERT_TRUE(republish_all().ok());
  EXPECT_EQ(*outbox_->pending_count(), 3);
  EXPECT_EQ(deliver_in_turn(*outbox_, clock_),
            (std::vector<std::string>{"evt_pr_a_2", "evt_pr_a_1 (replay)", "evt_pr_a_3"}));
  EXPECT_EQ(*outbox_->pending_count(), 0);
}

TEST_F(WebhookCrashHeal, WithoutTheLostEventTheOldestPendingIsDueAfterTheGrace) {
  EXPECT_TRUE(outbox_->due(clock_.now_ns(), 10)->empty()) << "the lost event may still come";
  clock_.advance_ns(options_.healed_head_grace_ns);
  EXPECT_EQ(deliver_in_turn(*outbox_, clock_),
            (std::vector<std::string>{"evt_pr_a_1 (replay)", "evt_pr_a_3"}));
  // Once the healed head was due, a late republish of the lost event goes behind: nothing
  // of the subject is due twice at once, and it is still delivered.
  ASSERT_TRUE(outbox_->enqueue({make_event(kMerchant, "pr_a", 2)}).ok());
  EXPECT_EQ(deliver_in_turn(*outbox_, clock_), (std::vector<std::string>{"evt_pr_a_2"}));
}

TEST_F(WebhookCrashHeal, ALateRepublishStillGoesFirstWhileNoHeadWasHandedOut) {
  // A start slower than the grace period: the healed head is due by the time the republish
  // arrives, but nothing has read the due heads yet (mpayd starts its dispatcher after the
  // republish is stored), so nobody can hold it and the lost event still goes first.
  clock_.advance_ns(2 * options_.healed_head_grace_ns);
  ASSERT_TRUE(republish_all().ok());
  EXPECT_EQ(deliver_in_turn(*outbox_, clock_),
            (std::vector<std::string>{"evt_pr_a_2", "evt_pr_a_1 (replay)", "evt_pr_a_3"}));
  EXPECT_EQ(*outbox_->pending_count(), 0);
}

}  // namespace
}  // namespace mpay::notify::webhooks
