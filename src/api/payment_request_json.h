// The JSON shapes of the payment-request API, and the HTTP status of each of its error codes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

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

}  // namespace mpay::api
