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

// Whether confirm_payment_request can run without waiting on the store: a wallet or phone-bill
// payment by a cached payer whose spending is loaded, with a right PIN under the current key and
// no failures on record (so the PIN check writes nothing). An I/O thread may then run it in place;
// anything else (a wrong PIN to count, a bank pull to store, a cold payer) goes to the blocking
// pool. A race (another request's wrong PIN in between) costs one store write in place, no more.
// Once the archive holds rows, a request not in memory or a phone-bill payment (whose monthly sum
// adds the archived charges) reads mpay.db: the pool too.
bool can_confirm_in_memory(RequestContext& context, const wallet::UserId& payer,
                           const Id128& request_id, const Confirmation& confirmation);

// Errors: payment_request_not_found, payment_request_busy,
// payment_request_not_awaiting_confirmation, payment_request_expired (past its expiry: recorded
// expired, as the sweep would).
void decline_payment_request(RequestContext& context, const wallet::UserId& payer,
                             const Id128& request_id, RequestDone done);

}  // namespace mpay::requests
