// The webhook-deliveries routes through a Router, as the server would call them (the merchant
// authorizer is not there yet: the test sets the principal it would set).
#include "api/webhook_routes.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "api/http_target.h"
#include "api/webhook_metrics.h"
#include "api/webhook_requests.h"
#include "support/temp_directory.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using notify::webhooks::WebhookEvent;
using notify::webhooks::WebhookOutbox;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 0x10};
const Id128 kOtherMerchant{0x0190f4c27a3e7c41ULL, 0x20};

std::string principal_of(const Id128& merchant) { return "merchant:" + to_uuid_text(merchant); }

WebhookEvent event(const std::string& subject, int index) {
  return WebhookEvent{"evt_" + subject + "_" + std::to_string(index), kMerchant, subject,
                      "payment_request.succeeded", R"({"n":)" + std::to_string(index) + "}", 1764072000000000000LL};
}

class WebhookRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<WebhookOutbox>> opened = WebhookOutbox::open(directory.path(), clock, ids);
    ASSERT_TRUE(opened.ok());
    outbox = std::move(*opened);
    add_webhook_routes(router, *outbox, pool);
  }

  std::pair<unsigned, nlohmann::json> call(http::verb method, const std::string& target,
                                           const Id128& merchant = kMerchant,
                                           std::string body = "") {
    Result<HttpTarget> parsed = parse_target(target);
    EXPECT_TRUE(parsed.ok());
    RouteMatch match = router.match(method, parsed->path);
    EXPECT_EQ(match.kind, RouteMatchKind::found) << target;
    if (match.kind != RouteMatchKind::found) return {0, nullptr};
    EXPECT_EQ(match.route->scope, "merchant");
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.path = parsed->path;
    request.query = parsed->query;
    request.path_params = match.path_params;
    request.principal = principal_of(merchant);
    request.body = std::move(body);
    std::promise<HttpResponse> answered;
    match.route->handler(request, [&answered](HttpResponse response) { answered.set_value(std::move(response)); });
    HttpResponse response = answered.get_future().get();
    return {response.status, response.body.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(response.body)};
  }

  mpay::testing::TempDirectory directory;
  ManualClock clock{1764072000000000000LL};
  SeededRandom random{5};
  UuidV7Generator ids{clock, random};
  std::unique_ptr<WebhookOutbox> outbox;
  BlockingPool pool{2};
  Router router;
};

TEST_F(WebhookRoutesTest, DeclaresThreeMerchantRoutesAndThePostIsIdempotent) {
  ASSERT_EQ(router.routes().size(), 3u);
  for (const Route& route : router.routes()) {
    EXPECT_EQ(route.scope, "merchant");
    EXPECT_EQ(route.idempotent, route.method == http::verb::post);
  }
}

TEST_F(WebhookRoutesTest, ListsOnlyTheCallersDeliveriesWithACursor) {
  std::vector<WebhookEvent> events = {event("pr_a", 1), event("pr_a", 2), event("pr_b", 1)};
  WebhookEvent foreign = event("pr_z", 1);
  foreign.merchant_id = kOtherMerchant;
  events.push_back(foreign);
  ASSERT_TRUE(outbox->enqueue(events).ok());

  auto [status, page] = call(http::verb::get, "/v1/webhook-deliveries?limit=2");
  ASSERT_EQ(status, 200u) << page.dump();
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["event_id"], "evt_pr_b_1");
  EXPECT_EQ(page["items"][0]["status"], "pending");
  EXPECT_EQ(page["items"][0]["payment_request_id"], "pr_b");
  EXPECT_EQ(page["items"][0]["event_type"], "payment_request.succeeded");
  EXPECT_EQ(page["items"][0]["attempts"], 0);
  EXPECT_TRUE(page["items"][0]["delivered_at"].is_null());
  ASSERT_TRUE(page["next_after"].is_string());
  auto [status2, rest] =
      call(http::verb::get, "/v1/webhook-deliveries?limit=2&after=" + page["next_after"].get<std::string>());
  ASSERT_EQ(status2, 200u);
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["event_id"], "evt_pr_a_1");
  EXPECT_TRUE(rest["next_after"].is_null());

  auto [status3, filtered] = call(http::verb::get, "/v1/webhook-deliveries?payment_request_id=pr_a&status=pending");
  ASSERT_EQ(status3, 200u);
  EXPECT_EQ(filtered["items"].size(), 2u);
  auto [status4, none] = call(http::verb::get, "/v1/webhook-deliveries?status=delivered");
  EXPECT_EQ(none["items"].size(), 0u);

  auto [other_status, other] = call(http::verb::get, "/v1/webhook-deliveries", kOtherMerchant);
  ASSERT_EQ(other_status, 200u);
  ASSERT_EQ(other["items"].size(), 1u);
  EXPECT_EQ(other["items"][0]["event_id"], "evt_pr_z_1");
}

TEST_F(WebhookRoutesTest, RejectsBadQueries) {
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?limit=0").first, 400u);
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?limit=101").second["error"]["code"], "limit_invalid");
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?status=lost").second["error"]["code"], "status_invalid");
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?after=xyz").second["error"]["code"], "cursor_invalid");
  auto [unknown_status, unknown] = call(http::verb::get, "/v1/webhook-deliveries?colour=red");
  EXPECT_EQ(unknown_status, 400u);
  EXPECT_EQ(unknown["error"]["code"], "query_parameter_unknown");
  EXPECT_EQ(unknown["error"]["field"], "colour");
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?limit=5&limit=6").second["error"]["code"],
            "query_parameter_repeated");
  // A well-formed id that is not one of mine.
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries?after=0190f4c2-7a3e-7c41-9b2d-5e1f00000001")
                .second["error"]["code"],
            "cursor_invalid");
}

TEST_F(WebhookRoutesTest, ShowsOneDeliveryAndReplaysIt) {
  ASSERT_TRUE(outbox->enqueue({event("pr_a", 1)}).ok());
  std::string id = call(http::verb::get, "/v1/webhook-deliveries").second["items"][0]["id"];
  auto [status, detail] = call(http::verb::get, "/v1/webhook-deliveries/" + id);
  ASSERT_EQ(status, 200u);
  EXPECT_EQ(detail["id"], id);
  EXPECT_TRUE(detail["attempt_log"].is_array());
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries/" + id, kOtherMerchant).first, 404u);

  auto [replay_status, replayed] = call(http::verb::post, "/v1/webhook-deliveries/" + id + "/replay");
  ASSERT_EQ(replay_status, 201u) << replayed.dump();
  EXPECT_NE(replayed["id"], id);
  EXPECT_EQ(replayed["replay_of"], id);
  EXPECT_EQ(replayed["event_id"], "evt_pr_a_1");
  EXPECT_EQ(replayed["status"], "pending");
  EXPECT_EQ(call(http::verb::post, "/v1/webhook-deliveries/" + id + "/replay", kOtherMerchant).first, 404u);
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries").second["items"].size(), 2u);
}

TEST_F(WebhookRoutesTest, AMalformedIdIsInvalidAndAWellFormedUnknownOneIsNotFound) {
  ASSERT_TRUE(outbox->enqueue({event("pr_a", 1)}).ok());
  for (const std::string& target : {std::string("/v1/webhook-deliveries/not-a-uuid"),
                                    std::string("/v1/webhook-deliveries/0190f4c2-7a3e")}) {
    auto [status, body] = call(http::verb::get, target);
    EXPECT_EQ(status, 400u) << target;
    EXPECT_EQ(body["error"]["code"], "invalid_id") << target;
    EXPECT_EQ(body["error"]["field"], "id") << target;
    auto [replay_status, replay] = call(http::verb::post, target + "/replay", kMerchant, "{}");
    EXPECT_EQ(replay_status, 400u) << target;
    EXPECT_EQ(replay["error"]["code"], "invalid_id") << target;
  }
  const std::string unknown = "/v1/webhook-deliveries/0190f4c2-7a3e-7c41-9b2d-5e1f00000001";
  auto [status, body] = call(http::verb::get, unknown);
  EXPECT_EQ(status, 404u);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(call(http::verb::post, unknown + "/replay", kMerchant, "{}").first, 404u);
  // Nothing was replayed by any of these.
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries").second["items"].size(), 1u);
}

TEST_F(WebhookRoutesTest, AReplayWithABodyOtherThanNoneOrEmptyQueuesNothing) {
  ASSERT_TRUE(outbox->enqueue({event("pr_a", 1)}).ok());
  std::string id = call(http::verb::get, "/v1/webhook-deliveries").second["items"][0]["id"];
  std::string replay = "/v1/webhook-deliveries/" + id + "/replay";

  auto [garbage_status, garbage] = call(http::verb::post, replay, kMerchant, "[[[garbage");
  EXPECT_EQ(garbage_status, 400u);
  EXPECT_EQ(garbage["error"]["code"], "json_invalid");
  auto [array_status, array] = call(http::verb::post, replay, kMerchant, "[1,2,3]");
  EXPECT_EQ(array_status, 400u);
  EXPECT_EQ(array["error"]["code"], "json_not_object");
  auto [field_status, field] = call(http::verb::post, replay, kMerchant, R"({"force":true})");
  EXPECT_EQ(field_status, 400u);
  EXPECT_EQ(field["error"]["code"], "json_unknown_field");
  EXPECT_EQ(field["error"]["field"], "force");
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries").second["items"].size(), 1u);

  EXPECT_EQ(call(http::verb::post, replay, kMerchant, "{}").first, 201u);
  EXPECT_EQ(call(http::verb::get, "/v1/webhook-deliveries").second["items"].size(), 2u);
}

class NoEndpoints final : public notify::webhooks::WebhookEndpoints {
 public:
  Result<std::optional<std::string>> url_of(const Id128&) override { return std::optional<std::string>(); }
  Result<std::optional<std::string>> secret_of(const Id128&) override { return std::optional<std::string>(); }
};

class UnusedTransport final : public notify::webhooks::WebhookTransport {
 public:
  notify::webhooks::WebhookResponse post(const notify::webhooks::WebhookRequest&) override { return {}; }
};

TEST_F(WebhookRoutesTest, MetricsShowPendingAndDispatcherCounters) {
  ASSERT_TRUE(outbox->enqueue({event("pr_a", 1), event("pr_a", 2)}).ok());
  NoEndpoints endpoints;
  UnusedTransport transport;
  notify::webhooks::WebhookDispatcher dispatcher(*outbox, endpoints, transport, clock, random, {});
  MetricsRegistry metrics;
  add_webhook_metrics(metrics, *outbox, dispatcher);
  std::string text = metrics.render();
  EXPECT_NE(text.find("mpay_webhook_deliveries_pending 2"), std::string::npos) << text;
  EXPECT_NE(text.find("mpay_webhook_deliveries_skipped_total 0"), std::string::npos) << text;
  EXPECT_NE(text.find("mpay_webhook_attempts_total 0"), std::string::npos) << text;
  EXPECT_NE(text.find("mpay_webhook_deliveries_failed_total 0"), std::string::npos) << text;
  EXPECT_NE(text.find("mpay_webhook_deliveries_delivered_total 0"), std::string::npos) << text;
}

TEST(MerchantPrincipal, NamesAMerchantOnlyInTheMerchantForm) {
  EXPECT_EQ(merchant_of_principal(principal_of(kMerchant)), kMerchant);
  EXPECT_FALSE(merchant_of_principal("user:" + to_uuid_text(kMerchant)).has_value());
  EXPECT_FALSE(merchant_of_principal("merchant:").has_value());
  EXPECT_FALSE(merchant_of_principal("merchant:00000000-0000-0000-0000-000000000000").has_value());
  EXPECT_FALSE(merchant_of_principal("operator").has_value());
}

}  // namespace
}  // namespace mpay::api
