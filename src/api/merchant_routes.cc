#include "api/merchant_routes.h"

#include "api/idempotency.h"
#include "api/json_body.h"
#include "api/merchant_auth.h"
#include "api/merchant_json.h"
#include "api/merchant_requests.h"
#include "api/operator_auth.h"
#include "payments/merchant/credentials.h"
#include "payments/merchant/merchant_admin.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using merchant::MerchantContext;
using merchant::MerchantId;

HttpResponse failure(const Error& error) { return error_response(merchant_error_status(error.code), error); }

merchant::OperatorCall operator_call(const HttpRequest& request) {
  return {request.principal, request.remote_address, request.request_id};
}

Result<MerchantId> merchant_in_path(const HttpRequest& request) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return Error("invalid_id", "the id in the path must be a UUID", "id");
  return MerchantId(*id);
}

void create(MerchantContext& merchants, HttpRequest& request, bool keyed, Responder respond) {
  Result<merchant::MerchantApplication> application = decode_merchant_application(request.body);
  if (!application.ok()) return respond(failure(application.error()));
  Result<merchant::Onboarded> onboarded = merchant::create_merchant(merchants, operator_call(request), *application);
  if (!onboarded.ok()) return respond(failure(onboarded.error()));
  nlohmann::json body = {{"merchant", merchant_json(onboarded->merchant)},
                         {"api_key", new_key_json(onboarded->key, true)},
                         {"webhook_secret", onboarded->webhook_secret}};
  nlohmann::json replay = body;
  replay["api_key"] = new_key_json(onboarded->key, false);
  replay["webhook_secret"] = nullptr;
  respond(secret_response(201, body, replay, keyed));
}

void view(MerchantContext& merchants, HttpRequest& request, bool, Responder respond) {
  Result<MerchantId> id = merchant_in_path(request);
  if (!id.ok()) return respond(failure(id.error()));
  Result<merchant::MerchantView> found = merchant::view_merchant(merchants, operator_call(request), *id);
  if (!found.ok()) return respond(failure(found.error()));
  respond(json_response(200, merchant_json(*found)));
}

void list(MerchantContext& merchants, HttpRequest& request, bool, Responder respond) {
  Result<MerchantListQuery> query = decode_merchant_list_query(request.query);
  if (!query.ok()) return respond(failure(query.error()));
  Result<std::vector<merchant::MerchantView>> page =
      merchant::list_merchants(merchants, operator_call(request), query->after, query->limit);
  if (!page.ok()) return respond(failure(page.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const merchant::MerchantView& item : *page) items.push_back(merchant_json(item));
  nlohmann::json next = page->size() == query->limit ? nlohmann::json(page->back().record.id.to_string())
                                                     : nlohmann::json(nullptr);
  respond(json_response(200, {{"items", std::move(items)}, {"next_after", std::move(next)}}));
}

void create_key(MerchantContext& merchants, HttpRequest& request, bool keyed, Responder respond) {
  Result<MerchantId> id = merchant_in_path(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<merchant::NewKey> key = merchant::create_key(merchants, operator_call(request), *id);
  if (!key.ok()) return respond(failure(key.error()));
  respond(secret_response(201, new_key_json(*key, true), new_key_json(*key, false), keyed));
}

void revoke_key(MerchantContext& merchants, HttpRequest& request, bool, Responder respond) {
  Result<MerchantId> id = merchant_in_path(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  const std::string& key_id = request.path_params.at("key_id");
  Result<merchant::MerchantView> revoked = merchant::revoke_key(merchants, operator_call(request), *id, key_id);
  if (!revoked.ok()) return respond(failure(revoked.error()));
  respond(json_response(200, merchant_json(*revoked)));
}

void rotate_webhook_secret(MerchantContext& merchants, HttpRequest& request, bool keyed, Responder respond) {
  Result<MerchantId> id = merchant_in_path(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<std::string> secret = merchant::rotate_webhook_secret(merchants, operator_call(request), *id);
  if (!secret.ok()) return respond(failure(secret.error()));
  respond(secret_response(200, {{"webhook_secret", *secret}}, {{"webhook_secret", nullptr}}, keyed));
}

void set_suspended(MerchantContext& merchants, bool suspended, HttpRequest& request, Responder respond) {
  Result<MerchantId> id = merchant_in_path(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<merchant::MerchantView> changed =
      merchant::set_merchant_suspended(merchants, operator_call(request), *id, suspended);
  if (!changed.ok()) return respond(failure(changed.error()));
  respond(json_response(200, merchant_json(*changed)));
}

void own_profile(MerchantContext& merchants, HttpRequest& request, Responder respond) {
  std::optional<MerchantId> caller = merchant_of(request);
  MPAY_CHECK(caller.has_value(), "a merchant route ran without an authenticated merchant");
  Result<merchant::MerchantView> found = merchant::own_view(merchants, *caller);
  if (!found.ok()) return respond(failure(found.error()));
  respond(json_response(200, merchant_json(*found)));
}


// Runs `handler` on the pool with a copy of the request; whether it carries an Idempotency-Key is
// read here, on the I/O thread, where the headers are still valid.
Handler on_pool(MerchantContext& merchants, BlockingPool& pool, std::function<void(MerchantContext&, HttpRequest&, bool, Responder)> handler) {
  return [&merchants, &pool, handler](HttpRequest& request, Responder respond) {
    bool keyed = request.header(kIdempotencyKeyHeader).has_value();
    auto copy = std::make_shared<HttpRequest>(std::move(request));
    copy->headers = nullptr;
    pool.post([&merchants, handler, keyed, copy, respond = std::move(respond)] {
      handler(merchants, *copy, keyed, respond);
    });
  };
}

}  // namespace

void add_merchant_routes(Router& router, MerchantContext& merchants, BlockingPool& pool) {
  auto add = [&](http::verb method, std::string pattern, std::string_view scope,
                 Handler handler) -> Route& {
    Route route;
    route.method = method;
    route.pattern = std::move(pattern);
    route.scope = std::string(scope);
    route.body_bytes_max = method == http::verb::post ? kMerchantBodyBytesMax : 0;
    route.idempotent = method == http::verb::post;
    route.handler = std::move(handler);
    return router.add(std::move(route));
  };
  const std::string_view op = kOperatorScope;
  add(http::verb::post, "/v1/admin/merchants", op, on_pool(merchants, pool, create));
  add(http::verb::get, "/v1/admin/merchants", op, on_pool(merchants, pool, list))
      .query_parameters = {"limit", "after"};
  add(http::verb::get, "/v1/admin/merchants/{id}", op, on_pool(merchants, pool, view));
  add(http::verb::post, "/v1/admin/merchants/{id}/keys", op, on_pool(merchants, pool, create_key));
  add(http::verb::post, "/v1/admin/merchants/{id}/keys/{key_id}/revoke", op, on_pool(merchants, pool, revoke_key));
  add(http::verb::post, "/v1/admin/merchants/{id}/webhook-secret", op,
      on_pool(merchants, pool, rotate_webhook_secret));
  add(http::verb::post, "/v1/admin/merchants/{id}/suspend", op,
      on_pool(merchants, pool, [](MerchantContext& m, HttpRequest& r, bool, Responder d) {
        set_suspended(m, true, r, std::move(d));
      }));
  add(http::verb::post, "/v1/admin/merchants/{id}/reactivate", op,
      on_pool(merchants, pool, [](MerchantContext& m, HttpRequest& r, bool, Responder d) {
        set_suspended(m, false, r, std::move(d));
      }));
  add(http::verb::get, "/v1/merchant", kMerchantScope,
      [&merchants](HttpRequest& request, Responder respond) { own_profile(merchants, request, std::move(respond)); });
}

}  // namespace mpay::api
