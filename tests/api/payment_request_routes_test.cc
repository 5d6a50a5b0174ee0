// The payment-request routes through a Router, as the server calls them once the caller is
// authenticated (the test sets the principal the authorizers would set), on the real ledger with a
// clock the test turns (the payment-request fixture): what a merchant and a payer are told over
// HTTP when a deadline has passed before they acted.
#include "api/payment_request_routes.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http_target.h"
#include "api/merchant_auth.h"
#include "api/user_auth.h"
#include "payments/requests/request_fixture.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using requests::CaptureMode;
using requests::PaymentStatus;
using requests::testing::kSecondNs;

struct Answer {
  unsigned status = 0;
  nlohmann::json body;
  std::string error_code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
};

class PaymentRequestRoutesTest : public requests::testing::RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    add_payment_request_routes(router_, context(), pool_);
    payer_ = sign_up_payer("+8613900000021");
    merchant_ = add_merchant("Corner Bakery", 100);
    fund(payer_.wallet(), 100'00);
  }

  Answer post(const std::string& target, const std::string& principal) {
    Result<HttpTarget> parsed = parse_target(target);
    EXPECT_TRUE(parsed.ok()) << target;
    if (!parsed.ok()) return {};
    RouteMatch match = router_.match(http::verb::post, parsed->path);
    EXPECT_EQ(match.kind, RouteMatchKind::found) << target;
    if (match.kind != RouteMatchKind::found) return {};
    HttpRequest request;
    request.method = http::verb::post;
    request.target = target;
    request.path = parsed->path;
    request.query = parsed->query;
    request.path_params = match.path_params;
    request.principal = principal;
    std::promise<HttpResponse> answered;
    match.route->handler(
        request, [&answered](HttpResponse response) { answered.set_value(std::move(response)); });
    HttpResponse response = answered.get_future().get();
    return {response.status,
            response.body.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(response.body)};
  }

  // POST /v1/payment-requests/{id}/<action> by the request's merchant.
  Answer merchant_post(const Id128& request, const std::string& action) {
    return post("/v1/payment-requests/" + to_uuid_text(request) + "/" + action,
                std::string(kMerchantPrincipalPrefix) + to_uuid_text(merchant_));
  }

  // POST /v1/me/payment-requests/{id}/<action> by the payer.
  Answer payer_post(const Id128& request, const std::string& action) {
    return post("/v1/me/payment-requests/" + to_uuid_text(request) + "/" + action,
                std::string(kUserPrincipalPrefix) + to_uuid_text(payer_.id().value()));
  }

  BlockingPool pool_{2};
  Router router_;
  requests::testing::Payer payer_;
  requests::MerchantId merchant_;
};

TEST_F(PaymentRequestRoutesTest, ACaptureAfterTheAuthorizationDeadlineIs409AndReleasesTheHold) {
  Id128 request = create_ok(merchant_, payer_, "40.00", CaptureMode::manual);
  ASSERT_EQ(requests::testing::code_of(confirm(payer_, request)), "ok");
  clock_.set_ns(get(request).state.authorization_expires_at_ns + 30 * 60 * kSecondNs);

  Answer capture = merchant_post(request, "capture");
  EXPECT_EQ(capture.status, 409u) << capture.body.dump();
  EXPECT_EQ(capture.error_code(), "payment_request_not_authorized");
  EXPECT_EQ(capture.body["error"]["message"], "this payment request is voided");
  EXPECT_EQ(status(request), PaymentStatus::voided);
  EXPECT_EQ(available(payer_), 100'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
}

TEST_F(PaymentRequestRoutesTest, ADeclineOrCancelPastTheExpiryIs409Expired) {
  Id128 declined = create_ok(merchant_, payer_, "10.00");
  Id128 cancelled = create_ok(merchant_, payer_, "10.00");
  clock_.set_ns(get(declined).terms.expires_at_ns);

  Answer decline = payer_post(declined, "decline");
  EXPECT_EQ(decline.status, 409u) << decline.body.dump();
  EXPECT_EQ(decline.error_code(), "payment_request_expired");
  Answer cancel = merchant_post(cancelled, "cancel");
  EXPECT_EQ(cancel.status, 409u) << cancel.body.dump();
  EXPECT_EQ(cancel.error_code(), "payment_request_expired");
  EXPECT_EQ(status(declined), PaymentStatus::expired);
  EXPECT_EQ(status(cancelled), PaymentStatus::expired);
}

TEST_F(PaymentRequestRoutesTest, AVoidOfAHoldTheLedgerTimedOutIs200Voided) {
  Id128 request = create_ok(merchant_, payer_, "40.00", CaptureMode::manual);
  ASSERT_EQ(requests::testing::code_of(confirm(payer_, request)), "ok");
  clock_.set_ns(hold_times_out_at_ns(request));

  Answer voided = merchant_post(request, "void");
  EXPECT_EQ(voided.status, 200u) << voided.body.dump();
  EXPECT_EQ(voided.body["status"], "voided");
  EXPECT_EQ(available(payer_), 100'00);
  EXPECT_EQ(posted(payer_), 100'00);
}

}  // namespace
}  // namespace mpay::api
