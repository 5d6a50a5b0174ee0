// A merchant asks a user to pay: the request is recorded (its terms journaled by the ledger,
// durable before the answer) and the payer is told by SMS; it then awaits the payer's confirmation.
// With a mandate the payer created earlier, the request is charged at once from the payer's wallet
// instead, within the mandate's caps, and answers succeeded (or the charge's error). The same
// happens when the payer presented a payment code for it (the QR channel checked the code and its
// limit).
#pragma once

#include <optional>
#include <string>

#include "payments/requests/request_commit.h"

namespace mpay::requests {

struct NewRequest {
  std::string payer_phone;  // who pays; ignored when payer_id is set
  // The payer, already known (a user who scanned a merchant's QR code, or presented a payment
  // code); no SMS is sent then, the user is in the app.
  std::optional<wallet::UserId> payer_id;
  std::string amount;    // decimal in the currency's major unit: "25.50"
  std::string currency;  // ISO 4217 code; must be the wallets' currency
  std::string description;
  std::string merchant_reference;
  std::optional<int64_t> expires_in_s;
  CaptureMode capture = CaptureMode::automatic;
  std::string metadata_json = "{}";  // a flat JSON object of strings, already checked
  std::optional<Id128> mandate_id;
  // The payer showed a payment code for this charge: their consent, so it is charged at once from
  // the wallet like a mandate charge (capture must be automatic).
  bool presented_payment_code = false;
};

// Errors: merchant_unavailable, currency_*, amount_*, description_too_long,
// merchant_reference_invalid, merchant_reference_taken, expires_in_s_out_of_range, metadata_too_large,
// phone_*, payer_not_found, payer_unavailable, payer_pending_limit, mandate_* (not_found, revoked,
// mismatch, per_charge_exceeded, monthly_exceeded, capture_must_be_automatic),
// payment_code_capture_must_be_automatic, and those of
// funding.h for a mandate charge; store_error.
void create_payment_request(RequestContext& context, const MerchantId& merchant,
                            const NewRequest& request, RequestDone done);

// Whether create_payment_request can run without waiting on the store: the payer is in the user
// cache (everything else it reads is in memory, and its one write is the ledger's asynchronous
// submit). An I/O thread may then run it in place instead of handing it to the blocking pool.
// Never once the archive holds rows: the merchant-reference check reads it.
bool can_create_in_memory(RequestContext& context, const NewRequest& request);

}  // namespace mpay::requests
