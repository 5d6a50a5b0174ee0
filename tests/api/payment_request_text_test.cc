// The text views must be the very bytes of the tree views' dump: clients and webhook receivers
// saw those, and signatures cover them. Every branch of the views (each status, funding source,
// capture mode, optional field, refund state) and strings that need escaping are compared.
#include "api/payment_request_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/payment_request_json.h"
#include "support/json_text_samples.h"

namespace mpay::api {
namespace {

using requests::PaymentRequest;
using requests::PaymentStatus;
using requests::RefundRecord;
using requests::RefundStatus;

const Currency kCny{"CNY", 156, 2};
const Currency kJpy{"JPY", 392, 0};

using testing::dumped;
using testing::kAwkwardTexts;

PaymentRequest sample(uint64_t seed) {
  PaymentRequest request;
  requests::RequestTerms& t = request.terms;
  requests::RequestState& s = request.state;
  t.id = Id128{0x0190f4c2'0000'7000ULL + seed, 0x8000'0000'0000'0001ULL * (seed + 1)};
  t.merchant_id = Id128{0x0190f4c1'0000'7000ULL, 0x8000'0000'0000'00ffULL};
  t.merchant_reference = kAwkwardTexts[seed % kAwkwardTexts.size()];
  t.payer_phone_masked = "+86 138 **** 0000";
  t.amount_minor = static_cast<int64_t>(seed * 1234 + 1);
  t.description = kAwkwardTexts[(seed + 1) % kAwkwardTexts.size()];
  t.capture = seed % 2 == 0 ? requests::CaptureMode::automatic : requests::CaptureMode::manual;
  t.created_at_ns = 1'796'400'000'123'456'789LL + static_cast<int64_t>(seed);
  t.expires_at_ns = t.created_at_ns + 900'000'000'000LL;
  if (seed % 3 == 0) t.mandate_id = Id128{seed, seed * 7};
  s.status = static_cast<PaymentStatus>(1 + seed % 9);
  s.funding = static_cast<requests::FundingSource>(seed % 4);
  s.authorized_minor = static_cast<int64_t>(seed * 5);
  s.captured_minor = static_cast<int64_t>(seed * 3);
  s.fee_minor = static_cast<int64_t>(seed % 7);
  s.refunded_minor = static_cast<int64_t>(seed);
  s.fee_returned_minor = static_cast<int64_t>(seed % 2);
  s.authorization_expires_at_ns = seed % 4 == 1 ? 0 : t.created_at_ns + 7 * 86'400'000'000'000LL;
  s.failure = static_cast<uint16_t>(seed % 6);
  s.updated_at_ns = t.created_at_ns + 5'000'000;
  return request;
}

RefundRecord refund_of(const PaymentRequest& request, uint64_t n, RefundStatus status) {
  RefundRecord refund;
  refund.id = Id128{0x0190f4c3'0000'7000ULL + n, n};
  refund.request_id = request.terms.id;
  refund.amount_minor = static_cast<int64_t>(100 * n + 1);
  refund.reason = kAwkwardTexts[n % kAwkwardTexts.size()];
  refund.created_at_ns = request.terms.created_at_ns + 1'000'000'000;
  refund.status = status;
  refund.fee_returned_minor = static_cast<int64_t>(n);
  refund.settled_at_ns = status == RefundStatus::pending ? 0 : refund.created_at_ns + 1'000;
  return refund;
}

TEST(PaymentRequestText, TheMerchantsViewIsTheTreeViewsBytes) {
  for (uint64_t seed = 0; seed < 72; ++seed) {
    PaymentRequest request = sample(seed);
    std::vector<RefundRecord> refunds;
    for (uint64_t n = 0; n < seed % 4; ++n)
      refunds.push_back(refund_of(request, n, static_cast<RefundStatus>(n % 3)));
    for (const Currency& currency : {kCny, kJpy}) {
      EXPECT_EQ(payment_request_text(request, refunds, currency),
                dumped(payment_request_json(request, refunds, currency)))
          << "seed " << seed;
    }
  }
}

TEST(PaymentRequestText, MetadataComesOutAsTheTreeViewDumpsIt) {
  PaymentRequest request = sample(6);
  for (const char* metadata :
       {"{}", "{ }", R"({"order":"A-1","n":[1,2.5,true,null],"z":{"b":1,"a":"\u00e9"}})",
        R"({"b": 1, "a": "x"})"}) {
    request.terms.metadata_json = metadata;
    EXPECT_EQ(payment_request_text(request, {}, kCny),
              dumped(payment_request_json(request, {}, kCny)))
        << metadata;
  }
}

TEST(PaymentRequestText, ThePayersViewIsTheTreeViewsBytes) {
  for (uint64_t seed = 0; seed < 36; ++seed) {
    PaymentRequest request = sample(seed);
    for (const std::string& name : kAwkwardTexts) {
      EXPECT_EQ(payer_request_text(request, name, kCny),
                dumped(payer_request_json(request, name, kCny)))
          << "seed " << seed;
    }
  }
}

// What the webhook feed built as a tree before: the merchant's view without refunds, its status
// as the event recorded it, and the refund with the event's status.
TEST(PaymentRequestText, TheWebhookDataIsWhatTheFeedBuiltAsATree) {
  for (uint64_t seed = 0; seed < 36; ++seed) {
    PaymentRequest request = sample(seed);
    std::string_view event_status = requests::status_name(static_cast<PaymentStatus>(1 + (seed * 5) % 9));
    nlohmann::json view = payment_request_json(request, {}, kCny);
    view.erase("refunds");
    view["status"] = event_status;
    EXPECT_EQ(payment_webhook_data_text(request, event_status, nullptr, {}, kCny),
              dumped({{"payment_request", view}}))
        << "seed " << seed;

    RefundRecord refund = refund_of(request, seed, static_cast<RefundStatus>(seed % 3));
    std::string_view refund_status = requests::refund_status_name(static_cast<RefundStatus>((seed + 1) % 3));
    nlohmann::json with_refund = {{"payment_request", payment_request_json(request, {}, kCny)}};
    with_refund["payment_request"].erase("refunds");
    nlohmann::json refund_view = refund_json(refund, kCny);
    refund_view["status"] = refund_status;
    with_refund["refund"] = refund_view;
    std::string current = std::string(requests::status_name(request.state.status));
    EXPECT_EQ(payment_webhook_data_text(request, current, &refund, refund_status, kCny),
              dumped(with_refund))
        << "seed " << seed;
  }
}

}  // namespace
}  // namespace mpay::api
