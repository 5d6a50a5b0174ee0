// The start republishes the last day's changes for the webhooks (request_recovery.h). An event
// whose webhook was in flight at a crash is sent again with the same event id, so it must carry
// the same body: the request as that event left it, not as later events (a refund) left it.
#include <gtest/gtest.h>

#include "request_fixture.h"
#include "server/payment_webhooks.h"

namespace mpay::requests::testing {
namespace {

class RepublishTest : public RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000041");
    merchant_ = add_merchant("Tea House", 250);
    fund(payer_.wallet(), 100'00);
  }

  Payer payer_;
  MerchantId merchant_;
};

TEST_F(RepublishTest, ARepublishedChangeCarriesTheRequestAsItsEventLeftIt) {
  Id128 paid = create_ok(merchant_, payer_, "25.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, paid, 10'00)), "ok");  // after the succeeded event
  settle();
  std::vector<PublishedChange> live = changes();
  ASSERT_GE(live.size(), 2u);
  const Currency currency = wallet_context().currency;

  reopen();

  std::vector<PublishedChange> all = changes();
  size_t compared = 0;
  for (const PublishedChange& first : live) {
    for (size_t i = live.size(); i < all.size(); ++i) {
      const PublishedChange& again = all[i];
      if (!again.republished || again.event.event.id != first.event.event.id) continue;
      SCOPED_TRACE(server::webhook_event_of(first, currency).type);
      EXPECT_EQ(server::webhook_event_of(again, currency).payload_json,
                server::webhook_event_of(first, currency).payload_json);
      ++compared;
    }
  }
  EXPECT_EQ(compared, live.size()) << "every live change is republished once";
}

}  // namespace
}  // namespace mpay::requests::testing
