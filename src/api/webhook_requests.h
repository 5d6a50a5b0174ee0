// Decoding the webhook-deliveries API's inputs (outside input: strict, fuzzed by
// fuzz/webhook_requests_fuzz.cc): the list query and the merchant a principal names.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/ids.h"
#include "notify/webhooks/delivery_records.h"

namespace mpay::api {

// The same values as the merchant authorizer's (api/merchant_auth.h on main), named apart so
// both headers can meet in one file; after the merge, merchant_of() there can replace
// merchant_of_principal() here.
inline constexpr std::string_view kWebhookDeliveriesScope = "merchant";
inline constexpr std::string_view kWebhookMerchantPrincipalPrefix = "merchant:";

// The merchant a "merchant:<uuid>" principal names (set by the merchant authorizer), or nullopt.
std::optional<Id128> merchant_of_principal(std::string_view principal);

// ?payment_request_id=&status=&limit=&after= for `merchant`. Errors (field = the parameter):
// "query_parameter_unknown", "query_parameter_repeated", "payment_request_id_invalid",
// "status_invalid", "limit_invalid" (1..100), "cursor_invalid" (after must be a delivery id).
Result<notify::webhooks::DeliveryQuery> decode_delivery_query(
    const Id128& merchant, const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace mpay::api
