// The payment feed into the webhook outbox: the start's republish goes through a bounded queue,
// and must wait for room rather than drop what does not fit.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "payments/requests/request_events.h"
#include "server/payment_webhooks.h"
#include "support/temp_directory.h"

namespace mpay::server {
namespace {

TEST(PaymentWebhookFeed, RepublishingMoreThanTheQueueHoldsStoresEveryChange) {
  mpay::testing::TempDirectory directory;
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator ids(clock, random);
  auto outbox = notify::webhooks::WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  constexpr size_t kQueueMax = 16;
  constexpr size_t kChanges = 2000;  // what recover_requests hands over, in a tight loop
  {
    PaymentWebhookFeed feed(**outbox, *currency_by_code("CNY"), 0, kQueueMax);
    requests::ChangeListener listener = feed.listener();
    requests::PaymentRequest request;
    request.terms.merchant_id = ids.next();
    for (size_t i = 0; i < kChanges; ++i) {
      request.terms.id = ids.next();
      requests::PublishedChange change{request, std::nullopt, {}, /*republished=*/true};
      change.event.event.id = ids.next();
      change.event.event.subject_id = request.terms.id;
      change.event.event.kind = requests::event_kinds::payment_status;
      change.event.event.status = static_cast<uint16_t>(requests::PaymentStatus::succeeded);
      change.event.timestamp = clock.now_ns();
      listener(change);
    }
    feed.stop();
  }
  EXPECT_EQ(*(*outbox)->pending_count(), static_cast<int64_t>(kChanges));
}

}  // namespace
}  // namespace mpay::server
