// What a merchant may do to its own payment requests: cancel one still awaiting confirmation,
// capture an authorization (all of it or less; the rest goes back to the payer), or void it.
// A request of another merchant is payment_request_not_found.
#pragma once

#include <optional>

#include "payments/requests/request_commit.h"

namespace mpay::requests {

// Errors: payment_request_not_found, payment_request_busy,
// payment_request_not_awaiting_confirmation, payment_request_expired (past its expiry: recorded
// expired, as the sweep would).
void cancel_payment_request(RequestContext& context, const MerchantId& merchant,
                            const Id128& request_id, RequestDone done);

// `amount_minor`: nullopt = everything authorized. Errors: payment_request_not_found,
// payment_request_busy, payment_request_not_authorized (also at or past the authorization's
// deadline: the authorization is then voided, as the sweep would), capture_amount_invalid (field
// "amount"), merchant_unavailable, ledger_*.
void capture_payment_request(RequestContext& context, const MerchantId& merchant,
                             const Id128& request_id, std::optional<int64_t> amount_minor,
                             RequestDone done);

// Errors: payment_request_not_found, payment_request_busy, payment_request_not_authorized.
void void_payment_request(RequestContext& context, const MerchantId& merchant,
                          const Id128& request_id, RequestDone done);

// The merchant's own request, claimed if its status is in `allowed`.
Result<PaymentRequest> claim_as_merchant(RequestContext& context, const MerchantId& merchant,
                                         const Id128& request_id,
                                         std::initializer_list<PaymentStatus> allowed,
                                         const char* wrong_status_code);

// Releases an authorization's hold and records `voided` (merchant void, the sweeper, a capture
// past the deadline). A hold the ledger already timed out is voided by the status alone.
void void_claimed(RequestContext& context, const PaymentRequest& claimed, RequestDone done);

}  // namespace mpay::requests
