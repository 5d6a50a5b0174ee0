// A merchant's till charges the payment code a user shows (consumer-presented mode). The code
// names the user (payment_code/ checks it: single use, 60 seconds, attempt limits). Showing it is
// the user's consent up to their payment-code limit: such a charge is paid at once from the
// wallet. Above the limit the charge becomes a payment request the user confirms in the app.
// Called from the API's blocking pool; `done` may run on the ledger's completer thread.
#pragma once

#include <functional>
#include <string>

#include "channels/qr/qr_context.h"

namespace mpay::qr {

struct PaymentCodeCharge {
  std::string code;  // the 18 digits, from the QR code, a barcode or the keypad
  std::string amount;
  std::string currency;
  std::string merchant_reference;
  std::string description;
  std::string metadata_json = "{}";
};

struct ChargeOutcome {
  requests::PaymentRequest request;
  bool confirmation_needed = false;  // above the user's limit: awaiting their confirmation
};
using ChargeDone = std::function<void(Result<ChargeOutcome>)>;

// Errors: currency_*, amount_*, merchant_unavailable, merchant_reference_invalid (checked before
// the code, so a mistake of the till does not spend the user's code); the payment code's
// (payment_code_malformed, _invalid, _expired, _used, _device_revoked, _device_locked,
// _rate_limited); then those of create_payment_request (merchant_reference_taken,
// payer_unavailable, insufficient_funds, limits, ...).
void charge_payment_code(QrContext& context, const Id128& merchant, const PaymentCodeCharge& charge,
                         ChargeDone done);

// The user's limit for charges without confirmation: their own, or the platform's.
int64_t payment_code_limit(const QrContext& context, const wallet::UserId& user);

// Sets the user's own limit (0: every charge needs a confirmation). Errors: amount_* and
// currency-free amount errors, payment_code_limit_too_high (above the platform's), store_error.
Result<int64_t> set_payment_code_limit(QrContext& context, const wallet::UserId& user,
                                       const std::string& amount);

}  // namespace mpay::qr
