// A user scans a merchant's code with the app: what would be paid, and the payment request to
// confirm with the PIN (POST /v1/me/payment-requests/{id}/confirm, as for any request to pay).
//
// Static code: without an amount the answer only says that one is needed; with one, a new payment
// request for that amount. Dynamic code: its one payment request, made for the first user who
// scans it; the same user scanning again gets the same request, anyone else qr_code_used.
// Called from the API's blocking pool; `done` may run on the ledger's completer thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "channels/qr/qr_context.h"

namespace mpay::qr {

struct ScanRequest {
  std::string payload;                // the EMV payload or the URL form, as decoded from the image
  std::optional<std::string> amount;  // static codes: what the user entered
  std::string currency;               // with amount; empty = the wallets' currency
  std::string description;            // static codes: the user's note; default the code's
};

struct ScanOutcome {
  MerchantCode code;
  requests::MerchantProfile merchant;
  bool amount_required = false;  // a static code scanned without an amount
  std::optional<requests::PaymentRequest> request;
};
using ScanDone = std::function<void(Result<ScanOutcome>)>;

// Errors: those of read_scanned_text (code_payload.h), qr_code_not_found, qr_code_altered (an EMV
// payload with our code's token that is not that code's payload), qr_code_deactivated,
// qr_code_expired, qr_code_used, qr_code_amount_fixed (an amount sent for a dynamic code),
// merchant_unavailable, and those of create_payment_request (amount_*, currency_*,
// payer_unavailable, payer_pending_limit, ...); store_error.
void scan_code(QrContext& context, const wallet::UserId& user, const ScanRequest& scan,
               ScanDone done);

}  // namespace mpay::qr
