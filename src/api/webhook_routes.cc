#include "api/webhook_routes.h"

#include "api/json_body.h"
#include "api/pooled_route.h"
#include "api/webhook_json.h"
#include "api/webhook_requests.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using notify::webhooks::WebhookOutbox;

HttpResponse failure(const Error& error) { return error_response(webhook_error_status(error.code), error); }

Id128 caller(const HttpRequest& request) {
  std::optional<Id128> merchant = merchant_of_principal(request.principal);
  MPAY_CHECK(merchant.has_value(), "a merchant route ran without an authenticated merchant");
  return *merchant;
}

// A malformed id is the caller's mistake (400 invalid_id, as on the other routes with ids in the
// path); a well-formed id that is unknown or another merchant's is 404 not_found.
Result<Id128> path_id(const HttpRequest& request) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return Error("invalid_id", "the id in the path must be a UUID", "id");
  return *id;
}

void list_deliveries(WebhookOutbox& outbox, HttpRequest& request, Responder respond) {
  Result<notify::webhooks::DeliveryQuery> query = decode_delivery_query(caller(request), request.query);
  if (!query.ok()) return respond(failure(query.error()));
  Result<notify::webhooks::DeliveryPage> page = outbox.list(*query);
  if (!page.ok()) return respond(failure(page.error()));
  respond(json_response(200, delivery_page_json(*page)));
}

void get_delivery(WebhookOutbox& outbox, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Result<std::optional<notify::webhooks::DeliveryDetail>> detail = outbox.find(caller(request), *id);
  if (!detail.ok()) return respond(failure(detail.error()));
  if (!detail->has_value()) return respond(failure(Error("not_found", "no such webhook delivery", "id")));
  respond(json_response(200, delivery_detail_json(**detail)));
}

void replay_delivery(WebhookOutbox& outbox, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<notify::webhooks::DeliveryRecord> replayed = outbox.replay(caller(request), *id);
  if (!replayed.ok()) return respond(failure(replayed.error()));
  respond(json_response(201, delivery_json(*replayed)));
}

}  // namespace

void add_webhook_routes(Router& router, WebhookOutbox& outbox, BlockingPool& pool) {
  auto add = [&](http::verb method, std::string pattern, size_t body_max, auto handler) -> Route& {
    return router.add(pooled_route(pool, outbox, method, std::move(pattern),
                                   kWebhookDeliveriesScope, body_max, handler));
  };
  add(http::verb::get, "/v1/webhook-deliveries", 0, list_deliveries).query_parameters = {
      "payment_request_id", "status", "limit", "after"};  // decode_delivery_query
  add(http::verb::get, "/v1/webhook-deliveries/{id}", 0, get_delivery);
  add(http::verb::post, "/v1/webhook-deliveries/{id}/replay", kWebhookReplayBodyBytesMax, replay_delivery);
}

}  // namespace mpay::api
