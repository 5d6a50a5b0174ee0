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

// A republished change of a new request of `merchant`, as recover_requests hands it over.
requests::PublishedChange republished_change(UuidV7Generator& ids, Clock& clock,
                                             const Id128& merchant) {
  requests::PaymentRequest request;
  request.terms.merchant_id = merchant;
  request.terms.id = ids.next();
  requests::PublishedChange change{request, std::nullopt, {}, /*republished=*/true};
  change.event.event.id = ids.next();
  change.event.event.subject_id = request.terms.id;
  change.event.event.kind = requests::event_kinds::payment_status;
  change.event.event.status = static_cast<uint16_t>(requests::PaymentStatus::succeeded);
  change.event.timestamp = clock.now_ns();
  return change;
}

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
    const Id128 merchant = ids.next();
    for (size_t i = 0; i < kChanges; ++i) listener(republished_change(ids, clock, merchant));
    feed.stop();
  }
  EXPECT_EQ(*(*outbox)->pending_count(), static_cast<int64_t>(kChanges));
}

// mpayd starts sending webhooks only when the start's republish is in the outbox (changes
// queued after the call may still be on their way).
TEST(PaymentWebhookFeed, WaitingUntilHandedOverMeansEveryChangeIsStored) {
  mpay::testing::TempDirectory directory;
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator ids(clock, random);
  auto outbox = notify::webhooks::WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  constexpr size_t kChanges = 3000;
  PaymentWebhookFeed feed(**outbox, *currency_by_code("CNY"), 0, 64);
  requests::ChangeListener listener = feed.listener();
  const Id128 merchant = ids.next();
  for (size_t i = 0; i < kChanges; ++i) listener(republished_change(ids, clock, merchant));
  feed.wait_until_handed_over();
  EXPECT_EQ(*(*outbox)->pending_count(), static_cast<int64_t>(kChanges));
  feed.wait_until_handed_over();  // nothing queued: at once
  feed.stop();
}

}  // namespace
}  // namespace mpay::server
