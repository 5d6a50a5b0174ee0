// Carrier billing: an operator sets which carrier bills a subscriber; the month's bill of a
// carrier is exported as CSV from the ledger history of that carrier's receivable account, one
// line per charge (+) and per refund (-), the subscriber masked, and totals that are by
// construction the account's movement in the month.
//
// CSV columns: line, occurred_at (RFC 3339, UTC), type (charge|refund), payment_request_id,
// refund_id, merchant_id, merchant_reference, subscriber, amount (decimal), currency; then three
// summary rows: total_charges, total_refunds, total (charges less refunds: what the carrier owes).
// Months are calendar months in UTC.
#pragma once

#include <string>

#include "payments/requests/request_context.h"

namespace mpay::requests {

// The start of the UTC calendar month that holds `at_ns`: the month a bill lists a charge made at
// `at_ns` under (the phone-bill allowance counts by the same months).
int64_t bill_month_start_ns(int64_t at_ns);

// Errors: carrier_invalid, user_not_found, store_error, ledger_rejected.
Status set_subscriber_carrier(RequestContext& context, const wallet::UserId& user,
                              const std::string& carrier);

// Errors: carrier_invalid (field carrier), month_invalid (field month: "YYYY-MM"), store_error.
Result<std::string> carrier_bill_csv(RequestContext& context, const std::string& carrier,
                                     const std::string& month);

}  // namespace mpay::requests
