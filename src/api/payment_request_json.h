// The JSON shapes of the payment-request API, and the HTTP status of each of its error codes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/http_message.h"
#include "core/currency.h"
#include "payments/requests/request_records.h"

namespace mpay::api {

// The merchant's view: everything, with the payer masked.
nlohmann::json payment_request_json(const requests::PaymentRequest& request,
                                    const std::vector<requests::RefundRecord>& refunds,
                                    const Currency& currency);
// The payer's view: no fees, no metadata; the merchant by name.
nlohmann::json payer_request_json(const requests::PaymentRequest& request,
                                  const std::string& merchant_name, const Currency& currency);
nlohmann::json refund_json(const requests::RefundRecord& refund, const Currency& currency);
nlohmann::json mandate_json(const requests::MandateRecord& mandate, const Currency& currency);

// Payment-request codes first, then wallet_error_status for the shared ones.
unsigned payment_request_error_status(const std::string& code);
// The error answer of the payment-request and QR routes, with `status`. payment_request_busy
// (another action holds the request for a moment) also carries Retry-After, which keeps it out
// of the Idempotency-Key store (idempotency.h): a retry with the same key runs again.
HttpResponse payment_request_error_response(unsigned status, const Error& error);

}  // namespace mpay::api
