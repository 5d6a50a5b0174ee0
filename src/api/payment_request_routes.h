// The payment-request routes (docs/merchant-api.md, docs/wallet-api.md):
//   merchant (signed, scope "merchant"):  POST/GET /v1/payment-requests, GET/.../{id},
//     POST .../{id}/cancel|capture|void, POST/GET .../{id}/refunds
//   user (session):  GET /v1/me/payment-requests[/{id}], POST .../{id}/confirm|decline,
//     POST/GET /v1/me/mandates, POST /v1/me/mandates/{id}/revoke
//   operator:  POST /v1/admin/users/{id}/carrier, GET /v1/admin/carrier-bills/{carrier}/{month}
// Handlers run on the blocking pool; answers that wait for the ledger come from its completer
// thread.
#pragma once

#include "api/blocking_pool.h"
#include "api/router.h"
#include "payments/requests/request_context.h"

namespace mpay::api {

inline constexpr size_t kPaymentRequestBodyBytesMax = 8192;

void add_payment_request_routes(Router& router, requests::RequestContext& context,
                                BlockingPool& pool);

}  // namespace mpay::api
