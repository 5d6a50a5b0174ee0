// Decoding the payment-request API's bodies and query strings (merchant and user sides): strict
// JSON into the request values, every mistake a precise 400-class error naming its field. Pure
// functions, fuzzed by fuzz/payment_request_requests_fuzz.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "payments/requests/confirm_request.h"
#include "payments/requests/create_request.h"
#include "payments/requests/mandates.h"
#include "payments/requests/refunds.h"
#include "payments/requests/request_book.h"

namespace mpay::api {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// metadata: a flat JSON object of at most `metadata_keys_max` string values (keys up to 40
// characters, values up to 500, neither with control characters), re-serialized compactly into
// NewRequest::metadata_json.
Result<requests::NewRequest> decode_new_payment_request(std::string_view body,
                                                        size_t metadata_keys_max);
Result<requests::Confirmation> decode_confirmation(std::string_view body);
// A "metadata" value (null or absent: "{}") checked as above and serialized compactly. Errors:
// json_wrong_type, metadata_too_large, metadata_key_invalid (empty, too long or a control
// character: core/display_text.h), json_string_too_long, metadata_value_invalid (a control
// character).
Result<std::string> decode_metadata(const nlohmann::json* value, size_t keys_max);
// {"amount"?: "12.34"}; the amount is left as text for the currency's parser. Empty body: all.
Result<std::optional<std::string>> decode_capture(std::string_view body);
struct RefundBody {
  std::string amount;
  std::string reason;
};
Result<RefundBody> decode_refund(std::string_view body);
Result<requests::NewMandate> decode_mandate(std::string_view body);
Result<std::string> decode_carrier(std::string_view body);

// status (a status name, or "pending" for awaiting_confirmation), created_after (RFC 3339),
// limit (1..limit_max), after (a request id: the cursor).
Result<requests::RequestListQuery> decode_request_list_query(const QueryParams& query,
                                                             uint32_t limit_max);

}  // namespace mpay::api
