// The whole route table of mpayd, in one place: the table the server serves and the one
// tests/api/openapi_test.cc compares with docs/openapi.yaml, so the two cannot drift apart.
//
//   GET  /healthz, /v1/ledger/...       ledger_routes.h
//   GET  /metrics                       public, Prometheus text format 0.0.4 (metrics.h)
//   GET  /v1/openapi.yaml               public, the OpenAPI document (openapi.h)
//   /v1/auth, /v1/users, /v1/sessions, /v1/me, /v1/transfers, /v1/admin   wallet_routes.h
//   /v1/admin/merchants, /v1/merchant  merchant_routes.h (when ApiServices::merchants is set)
//   /v1/qr, /v1/payment-codes, /v1/me/qr, /v1/me/payment-code, /q   qr_routes.h (ApiServices::qr)
//
// Routes marked idempotent (every POST) are wrapped with with_idempotency (idempotency.h).
// Everything referenced must outlive the router.
#pragma once

#include "api/blocking_pool.h"
#include "api/idempotency_store.h"
#include "api/metrics.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/ids.h"
#include "ledger/ledger.h"
#include "channels/qr/qr_context.h"
#include "payments/merchant/merchant_context.h"
#include "notify/webhooks/webhook_outbox.h"
#include "payments/requests/request_context.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::api {

struct ApiServices {
  ledger::Ledger& ledger;
  UuidV7Generator& ids;
  MetricsRegistry& metrics;
  IdempotencyStore& idempotency;
  Clock& clock;
  wallet::WalletContext* wallet = nullptr;  // the wallet routes (wallet_routes.h); required
  BlockingPool* blocking = nullptr;         // where wallet handlers run; required
  merchant::MerchantContext* merchants = nullptr;  // the merchant routes (merchant_routes.h); mpayd sets it
  requests::RequestContext* requests = nullptr;    // payment-request routes (payment_request_routes.h)
  notify::webhooks::WebhookOutbox* webhooks = nullptr;  // webhook-deliveries routes (webhook_routes.h)
  qr::QrContext* qr = nullptr;                          // QR codes and payment codes (qr_routes.h)
};

inline constexpr std::string_view kMetricsPath = "/metrics";

void add_all_routes(Router& router, const ApiServices& services);

// GET /metrics, public: services.metrics.render().
void add_metrics_route(Router& router, MetricsRegistry& metrics);

}  // namespace mpay::api
