#include "api/payment_request_routes.h"

#include "api/json_body.h"
#include "api/merchant_auth.h"
#include "api/operator_auth.h"
#include "api/payment_request_json.h"
#include "api/payment_request_requests.h"
#include "api/payment_request_text.h"
#include "api/pooled_route.h"
#include "api/user_auth.h"
#include "core/amount_limit.h"
#include "core/check.h"
#include "core/money.h"
#include "payments/requests/carrier_billing.h"
#include "payments/requests/confirm_request.h"
#include "payments/requests/create_request.h"
#include "payments/requests/mandates.h"
#include "payments/requests/merchant_actions.h"
#include "payments/requests/refunds.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using requests::PaymentRequest;
using requests::RequestContext;

HttpResponse failure(const Error& error) {
  return payment_request_error_response(payment_request_error_status(error.code), error);
}

Result<Id128> path_id(const HttpRequest& request, const char* name = "id") {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at(name));
  if (!id) return Error("invalid_id", "the id in the path must be a UUID", name);
  return *id;
}

const Currency& currency_of(RequestContext& context) { return context.wallet.currency; }

nlohmann::json merchant_view(RequestContext& context, const PaymentRequest& request) {
  return payment_request_json(request, context.book.refunds_of(request.terms.id),
                              currency_of(context));
}

std::string merchant_name_of(RequestContext& context, const PaymentRequest& request) {
  std::optional<requests::MerchantProfile> merchant =
      context.merchants.find(request.terms.merchant_id, request.terms.currency);
  return merchant ? merchant->display_name : "";
}

nlohmann::json payer_view(RequestContext& context, const PaymentRequest& request) {
  return payer_request_json(request, merchant_name_of(context, request), currency_of(context));
}

// One request answered alone: the same bytes as json_response(status, ..._view(...)), written
// without the tree (payment_request_text.h).
HttpResponse merchant_view_response(unsigned status, RequestContext& context,
                                    const PaymentRequest& request) {
  HttpResponse response;
  response.status = status;
  response.body = payment_request_text(request, context.book.refunds_of(request.terms.id),
                                       currency_of(context));
  return response;
}

HttpResponse payer_view_response(unsigned status, RequestContext& context,
                                 const PaymentRequest& request) {
  HttpResponse response;
  response.status = status;
  response.body =
      payer_request_text(request, merchant_name_of(context, request), currency_of(context));
  return response;
}

// A capture's or a refund's amount: at most the captured amount anyway, but refused as too large
// before that is looked at, like every amount (core/amount_limit.h).
Result<int64_t> amount_of(RequestContext& context, const std::string& text) {
  Result<int64_t> minor =
      within_amount_max(parse_amount(text, currency_of(context)), currency_of(context));
  if (!minor.ok()) {
    Error error = minor.error();
    error.field = "amount";
    return error;
  }
  if (*minor <= 0) return Error("amount_zero", "the amount must be more than zero", "amount");
  return minor;
}

// --- merchant ---------------------------------------------------------------------------------

// Runs on the I/O thread (in_place_route); the pool takes it when the payer is not cached.
void create(RequestContext& context, BlockingPool& pool, HttpRequest& request, Responder respond) {
  Result<requests::NewRequest> decoded =
      decode_new_payment_request(request.body, context.options.metadata_keys_max);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  bool in_memory = requests::can_create_in_memory(context, *decoded);
  auto run = [&context, merchant = merchant_caller(request).value(), decoded = std::move(*decoded),
              respond = std::move(respond)] {
    requests::create_payment_request(
        context, merchant, decoded, [&context, respond](Result<PaymentRequest> created) {
          if (!created.ok()) return respond(failure(created.error()));
          respond(merchant_view_response(201, context, *created));
        });
  };
  if (in_memory) return run();
  pool.post(std::move(run));
}

void get_one(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  std::optional<PaymentRequest> found = context.book.get(*id);
  if (!found || !(found->terms.merchant_id == merchant_caller(request).value())) {
    return respond(failure(Error("payment_request_not_found", "no payment request of yours has this id")));
  }
  respond(merchant_view_response(200, context, *found));
}

nlohmann::json page_json(const std::vector<PaymentRequest>& page, uint32_t limit,
                         const std::function<nlohmann::json(const PaymentRequest&)>& view) {
  nlohmann::json items = nlohmann::json::array();
  for (const PaymentRequest& r : page) items.push_back(view(r));
  nlohmann::json next = nullptr;
  if (page.size() == limit && !page.empty()) next = to_uuid_text(page.back().terms.id);
  return {{"items", std::move(items)}, {"next_after", next}};
}

void list_mine_as_merchant(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<requests::RequestListQuery> query =
      decode_request_list_query(request.query, context.options.list_limit_max);
  if (!query.ok()) return respond(failure(query.error()));
  std::vector<PaymentRequest> page = context.book.list_for_merchant(merchant_caller(request).value(), *query);
  respond(json_response(200, page_json(page, query->limit, [&](const PaymentRequest& r) {
                          return merchant_view(context, r);
                        })));
}

template <typename Action>
void merchant_action(RequestContext& context, HttpRequest& request, Responder respond,
                     Action action) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  action(*id, [&context, respond](Result<PaymentRequest> outcome) {
    if (!outcome.ok()) return respond(failure(outcome.error()));
    respond(merchant_view_response(200, context, *outcome));
  });
}

void cancel(RequestContext& context, HttpRequest& request, Responder respond) {
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  merchant_action(context, request, respond, [&](const Id128& id, requests::RequestDone done) {
    requests::cancel_payment_request(context, merchant_caller(request).value(), id, std::move(done));
  });
}

void capture(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<std::optional<std::string>> amount_text = decode_capture(request.body);
  if (!amount_text.ok()) return respond(failure(amount_text.error()));
  std::optional<int64_t> amount;
  if (*amount_text) {
    Result<int64_t> parsed = amount_of(context, **amount_text);
    if (!parsed.ok()) return respond(failure(parsed.error()));
    amount = *parsed;
  }
  merchant_action(context, request, respond, [&](const Id128& id, requests::RequestDone done) {
    requests::capture_payment_request(context, merchant_caller(request).value(), id, amount, std::move(done));
  });
}

void void_hold(RequestContext& context, HttpRequest& request, Responder respond) {
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  merchant_action(context, request, respond, [&](const Id128& id, requests::RequestDone done) {
    requests::void_payment_request(context, merchant_caller(request).value(), id, std::move(done));
  });
}

void refund(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Result<RefundBody> body = decode_refund(request.body);
  if (!body.ok()) return respond(failure(body.error()));
  Result<int64_t> amount = amount_of(context, body->amount);
  if (!amount.ok()) return respond(failure(amount.error()));
  requests::refund_payment_request(
      context, merchant_caller(request).value(), *id, requests::RefundRequest{*amount, body->reason},
      [&context, respond](Result<requests::RefundRecord> refund) {
        if (!refund.ok()) return respond(failure(refund.error()));
        unsigned status = refund->status == requests::RefundStatus::pending ? 202 : 201;
        respond(json_response(status, refund_json(*refund, currency_of(context))));
      });
}

void list_refunds(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  std::optional<PaymentRequest> found = context.book.get(*id);
  if (!found || !(found->terms.merchant_id == merchant_caller(request).value())) {
    return respond(failure(Error("payment_request_not_found", "no payment request of yours has this id")));
  }
  nlohmann::json items = nlohmann::json::array();
  for (const requests::RefundRecord& r : context.book.refunds_of(*id)) {
    items.push_back(refund_json(r, currency_of(context)));
  }
  respond(json_response(200, {{"items", std::move(items)}}));
}

// --- user -------------------------------------------------------------------------------------

void list_mine_as_payer(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<requests::RequestListQuery> query =
      decode_request_list_query(request.query, context.options.list_limit_max);
  if (!query.ok()) return respond(failure(query.error()));
  std::vector<PaymentRequest> page = context.book.list_for_payer(user_caller(request), *query);
  respond(json_response(200, page_json(page, query->limit, [&](const PaymentRequest& r) {
                          return payer_view(context, r);
                        })));
}

void get_mine_as_payer(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  std::optional<PaymentRequest> found = context.book.get(*id);
  if (!found || !(found->terms.payer_id == user_caller(request))) {
    return respond(failure(Error("payment_request_not_found", "no payment request has this id")));
  }
  respond(payer_view_response(200, context, *found));
}

// Runs on the I/O thread (in_place_route); the pool takes it unless it is a right PIN of a
// cached payer paying from the wallet or the phone bill (requests::can_confirm_in_memory).
void confirm(RequestContext& context, BlockingPool& pool, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Result<requests::Confirmation> confirmation = decode_confirmation(request.body);
  if (!confirmation.ok()) return respond(failure(confirmation.error()));
  wallet::UserId payer = user_caller(request);
  bool in_memory = requests::can_confirm_in_memory(context, payer, *id, *confirmation);
  auto run = [&context, payer, id = *id, confirmation = std::move(*confirmation),
              respond = std::move(respond)] {
    bool from_bank = confirmation.funding_source == "bank";
    requests::confirm_payment_request(
        context, payer, id, confirmation,
        [&context, respond, from_bank](Result<PaymentRequest> outcome) {
          if (!outcome.ok()) return respond(failure(outcome.error()));
          // A bank pull answers later: 202 while the request still awaits the bank.
          bool waiting =
              from_bank && outcome->state.status == requests::PaymentStatus::awaiting_confirmation;
          respond(payer_view_response(waiting ? 202 : 200, context, *outcome));
        });
  };
  if (in_memory) return run();
  pool.post(std::move(run));
}

void decline(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  requests::decline_payment_request(context, user_caller(request), *id,
                                    [&context, respond](Result<PaymentRequest> outcome) {
                                      if (!outcome.ok()) return respond(failure(outcome.error()));
                                      respond(payer_view_response(200, context, *outcome));
                                    });
}

void create_mandate(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<requests::NewMandate> decoded = decode_mandate(request.body);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  Result<requests::MandateRecord> mandate =
      requests::create_mandate(context, user_caller(request), *decoded);
  if (!mandate.ok()) return respond(failure(mandate.error()));
  respond(json_response(201, mandate_json(*mandate, currency_of(context))));
}

void list_mandates(RequestContext& context, HttpRequest& request, Responder respond) {
  nlohmann::json items = nlohmann::json::array();
  for (const requests::MandateRecord& m : context.mandates.of_user(user_caller(request))) {
    items.push_back(mandate_json(m, currency_of(context)));
  }
  respond(json_response(200, {{"items", std::move(items)}}));
}

void revoke_mandate(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<requests::MandateRecord> revoked =
      requests::revoke_mandate(context, user_caller(request), *id);
  if (!revoked.ok()) return respond(failure(revoked.error()));
  respond(json_response(200, mandate_json(*revoked, currency_of(context))));
}

// --- operator ---------------------------------------------------------------------------------

Status audit(RequestContext& context, const HttpRequest& request, std::string action,
             std::string target, nlohmann::json details) {
  wallet::AuditEntry entry;
  entry.at_ns = context.wallet.clock.now_ns();
  entry.actor = request.principal;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.remote_address = request.remote_address;
  entry.request_id = request.request_id;
  entry.details = details.dump();
  return context.wallet.repository.append_audit(entry);
}

void set_carrier(RequestContext& context, HttpRequest& request, Responder respond) {
  Result<Id128> id = path_id(request);
  if (!id.ok()) return respond(failure(id.error()));
  Result<std::string> carrier = decode_carrier(request.body);
  if (!carrier.ok()) return respond(failure(carrier.error()));
  Status set = requests::set_subscriber_carrier(context, wallet::UserId(*id), *carrier);
  Status audited = audit(context, request, "user.set_carrier", "user:" + to_uuid_text(*id),
                         {{"carrier", *carrier}, {"ok", set.ok()}});
  if (!audited.ok()) return respond(failure(audited.error()));
  if (!set.ok()) return respond(failure(set.error()));
  respond(json_response(200, {{"user_id", to_uuid_text(*id)}, {"carrier", *carrier}}));
}

void carrier_bill(RequestContext& context, HttpRequest& request, Responder respond) {
  const std::string& carrier = request.path_params.at("carrier");
  const std::string& month = request.path_params.at("month");
  Result<std::string> csv = requests::carrier_bill_csv(context, carrier, month);
  Status audited = audit(context, request, "carrier_bill.export", "carrier:" + carrier,
                         {{"month", month}, {"ok", csv.ok()}});
  if (!audited.ok()) return respond(failure(audited.error()));
  if (!csv.ok()) return respond(failure(csv.error()));
  HttpResponse response{200, "text/csv; charset=utf-8", std::move(*csv), {}};
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + carrier + "-" + month + ".csv\"");
  respond(std::move(response));
}

}  // namespace

void add_payment_request_routes(Router& router, RequestContext& context, BlockingPool& pool) {
  auto add = [&](http::verb method, std::string pattern, std::string_view scope,
                 auto handler) -> Route& {
    size_t body_max = method == http::verb::post ? kPaymentRequestBodyBytesMax : 0;
    return router.add(
        pooled_route(pool, context, method, std::move(pattern), scope, body_max, handler));
  };
  const std::string_view merchant = kMerchantScope;
  const std::string_view user = kUserScope;
  const std::string_view op = kOperatorScope;
  // The two hot paths start on the I/O thread and go to the pool only when they must wait.
  auto in_place = [&](std::string pattern, std::string_view scope, auto handler) {
    router.add(in_place_route(
        context, http::verb::post, std::move(pattern), scope, kPaymentRequestBodyBytesMax,
        [&pool, handler](RequestContext& context, HttpRequest& request, Responder respond) {
          handler(context, pool, request, std::move(respond));
        }));
  };
  in_place("/v1/payment-requests", merchant, create);
  // decode_request_list_query reads these.
  const std::vector<std::string> list_query = {"status", "created_after", "limit", "after"};
  add(http::verb::get, "/v1/payment-requests", merchant, list_mine_as_merchant).query_parameters =
      list_query;
  add(http::verb::get, "/v1/payment-requests/{id}", merchant, get_one);
  add(http::verb::post, "/v1/payment-requests/{id}/cancel", merchant, cancel);
  add(http::verb::post, "/v1/payment-requests/{id}/capture", merchant, capture);
  add(http::verb::post, "/v1/payment-requests/{id}/void", merchant, void_hold);
  add(http::verb::post, "/v1/payment-requests/{id}/refunds", merchant, refund);
  add(http::verb::get, "/v1/payment-requests/{id}/refunds", merchant, list_refunds);
  add(http::verb::get, "/v1/me/payment-requests", user, list_mine_as_payer).query_parameters =
      list_query;
  add(http::verb::get, "/v1/me/payment-requests/{id}", user, get_mine_as_payer);
  in_place("/v1/me/payment-requests/{id}/confirm", user, confirm);
  add(http::verb::post, "/v1/me/payment-requests/{id}/decline", user, decline);
  add(http::verb::post, "/v1/me/mandates", user, create_mandate);
  add(http::verb::get, "/v1/me/mandates", user, list_mandates);
  add(http::verb::post, "/v1/me/mandates/{id}/revoke", user, revoke_mandate);
  add(http::verb::post, "/v1/admin/users/{id}/carrier", op, set_carrier);
  add(http::verb::get, "/v1/admin/carrier-bills/{carrier}/{month}", op, carrier_bill);
}

}  // namespace mpay::api
