// Decoding the merchant API's request bodies and query strings (docs/merchant-api.md): strict JSON
// into the merchant module's values, every mistake a precise 400 error naming its field. Pure
// functions (the fuzz target fuzz/merchant_requests_fuzz.cc drives them).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "payments/merchant/merchant_application.h"
#include "payments/merchant/merchant_records.h"

namespace mpay::api {

inline constexpr size_t kMerchantListLimitDefault = 20;

struct MerchantListQuery {
  merchant::MerchantId after;  // zero: from the first
  size_t limit = kMerchantListLimitDefault;
};

// POST /v1/admin/merchants. Field errors use the JSON paths ("settlement_account.bank_code").
// Only the shape is checked here; merchant::validate_application checks the rules.
Result<merchant::MerchantApplication> decode_merchant_application(std::string_view body);
// ?limit=1..100&after=<merchant id>. Errors: limit_invalid, after_invalid, query_parameter_unknown.
Result<MerchantListQuery> decode_merchant_list_query(
    const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace mpay::api
