// The payment feed into the webhook outbox: the start's republish goes through a bounded queue,
// must wait for room rather than drop what does not fit, and can be waited for until stored.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "payments/requests/request_events.h"
#include "server/payment_webhooks.h"
#include "support/temp_directory.h"

namespace mpay::server {
namespace {

// A fresh outbox, and republished changes of new requests of one merchant, as recover_requests
// hands them over.
class PaymentWebhookFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = notify::webhooks::WebhookOutbox::open(directory_.path(), clock_, ids_);
    ASSERT_TRUE(opened.ok());
    outbox_ = std::move(*opened);
  }

  requests::PublishedChange republished_change() {
    requests::PaymentRequest request;
    request.terms.merchant_id = merchant_;
    request.terms.id = ids_.next();
    requests::PublishedChange change{request, std::nullopt, {}, /*republished=*/true};
    change.event.event.id = ids_.next();
    change.event.event.subject_id = request.terms.id;
    change.event.event.kind = requests::event_kinds::payment_status;
    change.event.event.status = static_cast<uint16_t>(requests::PaymentStatus::succeeded);
    change.event.timestamp = clock_.now_ns();
    return change;
  }

  int64_t pending() { return *outbox_->pending_count(); }

  mpay::testing::TempDirectory directory_;
  SystemClock clock_;
  SystemRandom random_;
  UuidV7Generator ids_{clock_, random_};
  Id128 merchant_ = ids_.next();
  std::unique_ptr<notify::webhooks::WebhookOutbox> outbox_;
};

TEST_F(PaymentWebhookFeedTest, RepublishingMoreThanTheQueueHoldsStoresEveryChange) {
  constexpr size_t kQueueMax = 16;
  constexpr size_t kChanges = 2000;  // what recover_requests hands over, in a tight loop
  {
    PaymentWebhookFeed feed(*outbox_, *currency_by_code("CNY"), 0, kQueueMax);
    requests::ChangeListener listener = feed.listener();
    for (size_t i = 0; i < kChanges; ++i) listener(republished_change());
    feed.stop();
  }
  EXPECT_EQ(pending(), static_cast<int64_t>(kChanges));
}

// mpayd starts sending webhooks only when the start's republish is in the outbox (changes
// queued after the call may still be on their way).
TEST_F(PaymentWebhookFeedTest, WaitingUntilHandedOverMeansEveryChangeIsStored) {
  constexpr size_t kChanges = 3000;
  PaymentWebhookFeed feed(*outbox_, *currency_by_code("CNY"), 0, 64);
  requests::ChangeListener listener = feed.listener();
  for (size_t i = 0; i < kChanges; ++i) listener(republished_change());
  feed.wait_until_handed_over();
  EXPECT_EQ(pending(), static_cast<int64_t>(kChanges));
  feed.wait_until_handed_over();  // nothing queued: at once
  feed.stop();
}

}  // namespace
}  // namespace mpay::server
