// The QR routes (docs/qr.md):
//   merchant (signed):  POST/GET /v1/qr/merchant-codes, GET /v1/qr/merchant-codes/{id}[.png|.svg],
//     POST /v1/qr/merchant-codes/{id}/deactivate, POST /v1/payment-codes/charge
//   user (session):  POST /v1/me/qr/scan, POST/GET /v1/me/payment-code/devices,
//     POST /v1/me/payment-code/devices/{id}/revoke|reprovision, GET/POST /v1/me/payment-code/limit
//   public:  GET /q/{token}, the page a plain camera app opens from a code's URL form
// Handlers run on the blocking pool; answers that wait for the ledger come from its completer
// thread. /metrics counts scans and payment-code charges by outcome (mpay_qr_scans_total{outcome},
// mpay_payment_code_charges_total{outcome}: "ok", "awaiting_confirmation" or the error code), so
// that guessing, replays and expired codes can be watched and alerted on.
#pragma once

#include "api/blocking_pool.h"
#include "api/metrics.h"
#include "api/router.h"
#include "channels/qr/qr_context.h"

namespace mpay::api {

inline constexpr size_t kQrBodyBytesMax = 8192;

void add_qr_routes(Router& router, qr::QrContext& context, BlockingPool& pool,
                   MetricsRegistry& metrics);

}  // namespace mpay::api
