// The payment-request views answered on every payment (payment_request_json.h), written straight
// to text with JsonObjectText: the bytes nlohmann's dump of the tree view gives, at a fraction of
// the cost (the trees, their maps and strings, were about a tenth of mpayd's time under the
// request-to-pay benchmark). The tree views stay for lists and for callers that add to them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "payments/requests/request_records.h"

namespace mpay::api {

// = payment_request_json(request, refunds, currency).dump(...)
std::string payment_request_text(const requests::PaymentRequest& request,
                                 const std::vector<requests::RefundRecord>& refunds,
                                 const Currency& currency);
// = payer_request_json(request, merchant_name, currency).dump(...)
std::string payer_request_text(const requests::PaymentRequest& request,
                               std::string_view merchant_name, const Currency& currency);

// A webhook event's "data": {"payment_request": the merchant's view without "refunds", with
// `status` as the event recorded it, "refund": refund_json with `refund_status`, when given}.
std::string payment_webhook_data_text(const requests::PaymentRequest& request,
                                      std::string_view status,
                                      const requests::RefundRecord* refund,
                                      std::string_view refund_status, const Currency& currency);

}  // namespace mpay::api
