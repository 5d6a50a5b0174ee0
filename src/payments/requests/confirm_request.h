// The payer's answer to a payment request: confirm (PIN, funding source) or decline. Only the
// payer named by the request can answer it; anyone else gets payment_request_not_found.
#pragma once

#include <optional>
#include <string>

#include "payments/requests/request_commit.h"

namespace mpay::requests {

struct Confirmation {
  std::string pin;
  std::string funding_source;  // "wallet" | "bank" | "phone_bill"
  std::optional<Id128> bank_account_id;  // required for "bank"
};

// Errors: payment_request_not_found, payment_request_busy, payment_request_not_awaiting_confirmation,
// payment_request_expired, funding_source_invalid, bank_account_id_required, bank_account_not_found,
// account_frozen, pin_locked, pin_incorrect, merchant_unavailable, and those of funding.h.
void confirm_payment_request(RequestContext& context, const wallet::UserId& payer,
                             const Id128& request_id, const Confirmation& confirmation,
                             RequestDone done);

// Errors: payment_request_not_found, payment_request_busy, payment_request_not_awaiting_confirmation.
void decline_payment_request(RequestContext& context, const wallet::UserId& payer,
                             const Id128& request_id, RequestDone done);

// The error for an action on a request in the wrong status, naming it.
Error wrong_status(std::string code, const PaymentRequest& request);

}  // namespace mpay::requests
