// The JSON shapes of the merchant API (docs/merchant-api.md, docs/openapi.yaml): ids as UUID
// text, currencies as ISO 4217 codes, times as RFC 3339, the settlement account masked, never a
// secret except in the one response that creates it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "payments/merchant/merchant_admin.h"

namespace mpay::api {

nlohmann::json merchant_json(const merchant::MerchantView& view);
nlohmann::json new_key_json(const merchant::NewKey& key, bool with_secret);

// The HTTP status for a merchant error code (400 input, 404 unknown, 409 state, 503 outside
// service or store down, 500 our own failure).
unsigned merchant_error_status(const std::string& code);

}  // namespace mpay::api
