// The merchant API's routes (docs/merchant-api.md): the operators' merchant administration
// (scope "operator") and the merchant's own signed calls (scope "merchant"). Operator handlers
// block on durable writes and the ledger, so they run on the BlockingPool; GET /v1/merchant
// reads the in-memory directory and answers on the I/O thread.
#pragma once

#include "api/blocking_pool.h"
#include "api/router.h"
#include "payments/merchant/merchant_context.h"

namespace mpay::api {

inline constexpr size_t kMerchantBodyBytesMax = 8192;

void add_merchant_routes(Router& router, merchant::MerchantContext& merchants, BlockingPool& pool);

}  // namespace mpay::api
