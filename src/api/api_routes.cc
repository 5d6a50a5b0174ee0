#include "api/api_routes.h"

#include "api/idempotency.h"
#include "api/ledger_routes.h"
#include "api/payment_request_routes.h"
#include "api/merchant_routes.h"
#include "api/openapi.h"
#include "api/qr_routes.h"
#include "api/wallet_routes.h"
#include "api/webhook_routes.h"

namespace mpay::api {

void add_metrics_route(Router& router, MetricsRegistry& metrics) {
  Route route;
  route.method = boost::beast::http::verb::get;
  route.pattern = std::string(kMetricsPath);
  route.handler = [&metrics](HttpRequest&, Responder respond) {
    HttpResponse response;
    response.content_type = std::string(kPrometheusContentType);
    response.body = metrics.render();
    respond(std::move(response));
  };
  // Scrapers may add parameters of their own (Prometheus `params`); the page reads none.
  route.query_ignored = true;
  router.add(std::move(route));
}

void add_all_routes(Router& router, const ApiServices& services) {
  add_ledger_routes(router, services.ledger, services.ids);
  add_metrics_route(router, services.metrics);
  add_openapi_route(router);
  MPAY_CHECK(services.wallet != nullptr && services.blocking != nullptr,
             "add_all_routes needs the wallet and its blocking pool");
  add_wallet_routes(router, *services.wallet, *services.blocking);
  if (services.merchants != nullptr) add_merchant_routes(router, *services.merchants, *services.blocking);
  if (services.requests != nullptr) {
    add_payment_request_routes(router, *services.requests, *services.blocking);
  }
  if (services.webhooks != nullptr) add_webhook_routes(router, *services.webhooks, *services.blocking);
  if (services.qr != nullptr) add_qr_routes(router, *services.qr, *services.blocking, services.metrics);
  apply_idempotency(router, services.idempotency, services.clock);
}

}  // namespace mpay::api
