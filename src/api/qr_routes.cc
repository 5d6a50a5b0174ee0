#include "api/qr_routes.h"

#include "api/idempotency.h"
#include "api/json_body.h"
#include "api/merchant_auth.h"
#include "api/payment_request_json.h"
#include "api/pooled_route.h"
#include "api/qr_json.h"
#include "api/qr_page.h"
#include "api/qr_requests.h"
#include "api/user_auth.h"
#include "channels/qr/image/qr_image.h"
#include "channels/qr/payment_code_charge.h"
#include "channels/qr/payment_code_enrolment.h"
#include "core/check.h"
#include "core/money.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using qr::QrContext;

HttpResponse failure(const Error& error) {
  return payment_request_error_response(qr_error_status(error.code), error);
}

const Currency& currency_of(const QrContext& context) {
  return context.requests.wallet.currency;
}
int64_t now_of(const QrContext& context) {
  return context.requests.wallet.clock.now_ns();
}

nlohmann::json code_view(const QrContext& context, const qr::MerchantCode& code) {
  return merchant_code_json(code, qr::code_url(context, code), now_of(context),
                            currency_of(context));
}

Result<qr::MerchantCode> own_code(const QrContext& context, const HttpRequest& request) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return Error("invalid_id", "the id in the path must be a UUID", "id");
  std::optional<qr::MerchantCode> code = context.book.get(*id);
  if (!code || !(code->merchant_id == merchant_caller(request).value())) {
    return Error("qr_code_not_found", "no code of yours has this id");
  }
  return *code;
}

// --- merchant ---------------------------------------------------------------------------------

void create_code(QrContext& context, HttpRequest& request, Responder respond) {
  Result<qr::NewMerchantCode> decoded =
      decode_new_merchant_code(request.body, context.requests.options.metadata_keys_max);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  Result<qr::MerchantCode> code =
      qr::create_merchant_code(context, merchant_caller(request).value(), *decoded);
  if (!code.ok()) return respond(failure(code.error()));
  respond(json_response(201, code_view(context, *code)));
}

void list_codes(QrContext& context, HttpRequest& request, Responder respond) {
  Result<CodeListQuery> query =
      decode_code_list_query(request.query, context.options.list_limit_max);
  if (!query.ok()) return respond(failure(query.error()));
  std::vector<qr::MerchantCode> page =
      context.book.list_for_merchant(merchant_caller(request).value(), query->after, query->limit);
  nlohmann::json items = nlohmann::json::array();
  for (const qr::MerchantCode& code : page) items.push_back(code_view(context, code));
  nlohmann::json next = nullptr;
  if (page.size() == query->limit && !page.empty()) next = to_uuid_text(page.back().id);
  respond(json_response(200, {{"items", std::move(items)}, {"next_after", next}}));
}

void get_code(QrContext& context, HttpRequest& request, Responder respond) {
  Result<qr::MerchantCode> code = own_code(context, request);
  if (!code.ok()) return respond(failure(code.error()));
  respond(json_response(200, code_view(context, *code)));
}

Result<qr::RenderOptions> render_options_of(const QrContext& context, const HttpRequest& request,
                                            const qr::MerchantCode& code) {
  Result<ImageQuery> query = decode_image_query(request.query);
  if (!query.ok()) return query.error();
  qr::RenderOptions options;
  options.level = *qr::error_correction_from_letter(std::string_view(&query->error_correction, 1));
  options.module_size_px = query->module_px;
  options.quiet_zone_modules = query->margin_modules;
  options.allow_narrow_quiet_zone = true;  // asked for explicitly in the query
  if (query->caption) {
    std::optional<requests::MerchantProfile> merchant =
        context.requests.merchants.find(code.merchant_id, code.currency);
    if (merchant) options.caption = merchant->display_name;
  }
  return options;
}

std::string image_text(const QrContext& context, const HttpRequest& request,
                       const qr::MerchantCode& code) {
  std::optional<std::string> form = request.query_param("form");
  return form && *form == "url" ? qr::code_url(context, code) : code.payload;
}

void code_png(QrContext& context, HttpRequest& request, Responder respond) {
  Result<qr::MerchantCode> code = own_code(context, request);
  if (!code.ok()) return respond(failure(code.error()));
  Result<qr::RenderOptions> options = render_options_of(context, request, *code);
  if (!options.ok()) return respond(failure(options.error()));
  Result<qr::PngImage> png = qr::render_png(image_text(context, request, *code), *options);
  if (!png.ok()) return respond(failure(png.error()));
  HttpResponse response{200, "image/png", std::move(png->bytes), {}};
  response.headers.emplace_back("X-Mpay-Caption",
                                std::string(qr::caption_outcome_name(png->caption)));
  respond(std::move(response));
}

void code_svg(QrContext& context, HttpRequest& request, Responder respond) {
  Result<qr::MerchantCode> code = own_code(context, request);
  if (!code.ok()) return respond(failure(code.error()));
  Result<qr::RenderOptions> options = render_options_of(context, request, *code);
  if (!options.ok()) return respond(failure(options.error()));
  Result<std::string> svg = qr::render_svg(image_text(context, request, *code), *options);
  if (!svg.ok()) return respond(failure(svg.error()));
  respond(HttpResponse{200, "image/svg+xml", std::move(*svg), {}});
}

void deactivate_code(QrContext& context, HttpRequest& request, Responder respond) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return respond(failure(Error("invalid_id", "the id in the path must be a UUID", "id")));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<qr::MerchantCode> code =
      qr::deactivate_merchant_code(context, merchant_caller(request).value(), *id);
  if (!code.ok()) return respond(failure(code.error()));
  respond(json_response(200, code_view(context, *code)));
}

void charge(QrContext& context, CounterFamily& outcomes, HttpRequest& request, Responder respond) {
  Result<qr::PaymentCodeCharge> decoded =
      decode_payment_code_charge(request.body, context.requests.options.metadata_keys_max);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  auto answer = [&context, &outcomes, respond](Result<qr::ChargeOutcome> outcome) {
    std::string name = !outcome.ok()                  ? outcome.error().code
                       : outcome->confirmation_needed ? "awaiting_confirmation"
                                                      : "ok";
    outcomes.with({name}).increment();
    if (!outcome.ok()) return respond(failure(outcome.error()));
    nlohmann::json view = payment_request_json(
        outcome->request, context.requests.book.refunds_of(outcome->request.terms.id),
        currency_of(context));
    view["confirmation_needed"] = outcome->confirmation_needed;
    respond(json_response(outcome->confirmation_needed ? 202 : 201, view));
  };
  qr::charge_payment_code(context, merchant_caller(request).value(), *decoded, std::move(answer));
}

// --- user -------------------------------------------------------------------------------------

void scan(QrContext& context, CounterFamily& outcomes, HttpRequest& request, Responder respond) {
  Result<qr::ScanRequest> decoded = decode_scan(request.body);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  qr::scan_code(context, user_caller(request), *decoded,
                [&context, &outcomes, respond](Result<qr::ScanOutcome> outcome) {
                  outcomes.with({outcome.ok() ? "ok" : outcome.error().code}).increment();
                  if (!outcome.ok()) return respond(failure(outcome.error()));
                  respond(json_response(200, scan_json(*outcome, currency_of(context))));
                });
}

nlohmann::json limit_view(const QrContext& context, const wallet::UserId& user) {
  return {{"amount", format_amount(qr::payment_code_limit(context, user), currency_of(context))},
          {"currency", currency_of(context).code},
          {"platform_max",
           format_amount(context.options.payment_code_limit_minor, currency_of(context))}};
}

void get_limit(QrContext& context, HttpRequest& request, Responder respond) {
  respond(json_response(200, limit_view(context, user_caller(request))));
}

void set_limit(QrContext& context, HttpRequest& request, Responder respond) {
  Result<std::string> amount = decode_payment_code_limit(request.body);
  if (!amount.ok()) return respond(failure(amount.error()));
  Result<int64_t> set = qr::set_payment_code_limit(context, user_caller(request), *amount);
  if (!set.ok()) return respond(failure(set.error()));
  respond(json_response(200, limit_view(context, user_caller(request))));
}

// The secret is shown once: a replay of the same Idempotency-Key gets the device without it.
HttpResponse device_secret_response(unsigned status, const qr::ProvisionedDevice& device,
                                    const HttpRequest& request) {
  nlohmann::json replay = provisioned_device_json(device);
  replay["secret"] = nullptr;
  return secret_response(status, provisioned_device_json(device), replay,
                         request.idempotency_key_claimed);
}

void provision_device(QrContext& context, HttpRequest& request, Responder respond) {
  Result<DeviceProvision> decoded = decode_device_provision(request.body);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  Result<qr::ProvisionedDevice> device =
      qr::provision_device(context, user_caller(request), decoded->pin, decoded->label);
  if (!device.ok()) return respond(failure(device.error()));
  respond(device_secret_response(201, *device, request));
}

void reprovision_device(QrContext& context, HttpRequest& request, Responder respond) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return respond(failure(Error("invalid_id", "the id in the path must be a UUID", "id")));
  Result<std::string> pin = decode_pin(request.body);
  if (!pin.ok()) return respond(failure(pin.error()));
  Result<qr::ProvisionedDevice> device =
      qr::reprovision_device(context, user_caller(request), *id, *pin);
  if (!device.ok()) return respond(failure(device.error()));
  respond(device_secret_response(200, *device, request));
}

void list_devices(QrContext& context, HttpRequest& request, Responder respond) {
  nlohmann::json items = nlohmann::json::array();
  for (const qr::PaymentCodeDevice& device : context.devices.list(user_caller(request))) {
    items.push_back(payment_code_device_json(device));
  }
  respond(json_response(200, {{"items", std::move(items)}}));
}

void revoke_device(QrContext& context, HttpRequest& request, Responder respond) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return respond(failure(Error("invalid_id", "the id in the path must be a UUID", "id")));
  Status empty = read_empty_body(request.body);
  if (!empty.ok()) return respond(failure(empty.error()));
  Result<qr::PaymentCodeDevice> device =
      context.devices.revoke(user_caller(request), *id, now_of(context));
  if (!device.ok()) return respond(failure(device.error()));
  respond(json_response(200, payment_code_device_json(*device)));
}

// --- public -----------------------------------------------------------------------------------

void landing_page(QrContext& context, HttpRequest& request, Responder respond) {
  std::optional<qr::MerchantCode> code = context.book.by_token(request.path_params.at("token"));
  std::optional<requests::MerchantProfile> merchant;
  if (code) merchant = context.requests.merchants.find(code->merchant_id, code->currency);
  if (!code || !merchant) {
    return respond(HttpResponse{404, "text/html; charset=utf-8", code_missing_page(), {}});
  }
  respond(HttpResponse{200,
                       "text/html; charset=utf-8",
                       code_landing_page(context, *code, *merchant, now_of(context)),
                       {}});
}

}  // namespace

void add_qr_routes(Router& router, QrContext& context, BlockingPool& pool,
                   MetricsRegistry& metrics) {
  CounterFamily& scans = metrics.counter_family(
      "mpay_qr_scans_total", "Scans of merchant-presented codes by outcome", {"outcome"});
  CounterFamily& charges =
      metrics.counter_family("mpay_payment_code_charges_total",
                             "Charges of consumer-presented payment codes by outcome", {"outcome"});
  auto add = [&](http::verb method, std::string pattern, std::string_view scope,
                 auto handler) -> Route& {
    size_t body_max = method == http::verb::post ? kQrBodyBytesMax : 0;
    return router.add(
        pooled_route(pool, context, method, std::move(pattern), scope, body_max, handler));
  };
  const std::string_view merchant = kMerchantScope;
  const std::string_view user = kUserScope;
  add(http::verb::post, "/v1/qr/merchant-codes", merchant, create_code);
  add(http::verb::get, "/v1/qr/merchant-codes", merchant, list_codes).query_parameters = {
      "limit", "after"};  // decode_code_list_query
  add(http::verb::get, "/v1/qr/merchant-codes/{id}", merchant, get_code);
  // decode_image_query reads these.
  const std::vector<std::string> image_query = {"ec", "module_px", "margin", "caption", "form"};
  add(http::verb::get, "/v1/qr/merchant-codes/{id}.png", merchant, code_png).query_parameters =
      image_query;
  add(http::verb::get, "/v1/qr/merchant-codes/{id}.svg", merchant, code_svg).query_parameters =
      image_query;
  add(http::verb::post, "/v1/qr/merchant-codes/{id}/deactivate", merchant, deactivate_code);
  add(http::verb::post, "/v1/payment-codes/charge", merchant,
      [&charges](QrContext& c, HttpRequest& request, Responder respond) {
        charge(c, charges, request, std::move(respond));
      });
  add(http::verb::post, "/v1/me/qr/scan", user,
      [&scans](QrContext& c, HttpRequest& request, Responder respond) {
        scan(c, scans, request, std::move(respond));
      });
  add(http::verb::post, "/v1/me/payment-code/devices", user, provision_device);
  add(http::verb::get, "/v1/me/payment-code/devices", user, list_devices);
  add(http::verb::post, "/v1/me/payment-code/devices/{id}/revoke", user, revoke_device);
  add(http::verb::post, "/v1/me/payment-code/devices/{id}/reprovision", user, reprovision_device);
  add(http::verb::get, "/v1/me/payment-code/limit", user, get_limit);
  add(http::verb::post, "/v1/me/payment-code/limit", user, set_limit);
  // The page a phone's camera opens from a printed code: people reach it through scanner apps and
  // shared links that add parameters of their own, and it reads none (Route::query_ignored).
  add(http::verb::get, "/q/{token}", "", landing_page).query_ignored = true;
}

}  // namespace mpay::api
