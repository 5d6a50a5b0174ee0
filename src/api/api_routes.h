// The whole route table of mpayd, in one place: the table the server serves and the one
// tests/api/openapi_test.cc compares with docs/openapi.yaml, so the two cannot drift apart.
//
//   GET  /healthz, /v1/ledger/...       ledger_routes.h
//   GET  /metrics                       public, Prometheus text format 0.0.4 (metrics.h)
//   GET  /v1/openapi.yaml               public, the OpenAPI document (openapi.h)
//
// Routes marked idempotent (every POST) are wrapped with with_idempotency (idempotency.h).
// Everything referenced must outlive the router.
#pragma once

#include "api/idempotency_store.h"
#include "api/metrics.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/ids.h"
#include "ledger/ledger.h"

namespace mpay::api {

struct ApiServices {
  ledger::Ledger& ledger;
  UuidV7Generator& ids;
  MetricsRegistry& metrics;
  IdempotencyStore& idempotency;
  Clock& clock;
};

inline constexpr std::string_view kMetricsPath = "/metrics";

void add_all_routes(Router& router, const ApiServices& services);

// GET /metrics, public: services.metrics.render().
void add_metrics_route(Router& router, MetricsRegistry& metrics);

}  // namespace mpay::api
