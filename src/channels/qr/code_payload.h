// The EMV merchant-presented payload of one of our codes (emv/ builds and checks it): our
// merchant account template (ID 26: identifier, merchant id, the code's token), the merchant's
// category, currency, country, name and city, the amount of a dynamic code, the reference and
// till (ID 62), and the merchant's name in another language (ID 64).
#pragma once

#include <string>

#include "channels/qr/merchant_code_records.h"
#include "channels/qr/merchant_codes.h"
#include "channels/qr/qr_context.h"
#include "payments/requests/merchant_lookup.h"

namespace mpay::qr {

// Errors: the qr_* codes of emv/ when a field cannot be encoded (a caller's input was checked
// before, so these mean the merchant's record holds something EMV cannot carry).
Result<std::string> build_code_payload(const QrOptions& options,
                                       const requests::MerchantProfile& merchant,
                                       const MerchantCode& code, const NewMerchantCode& request);

// What a scanned text names: one of our codes (by token), from the EMV payload or the URL form.
struct ScannedText {
  std::string token;
  bool emv = false;  // the EMV payload (then the caller compares it with the code's own)
};
// Errors: qr_payload_empty, qr_payload_too_long, the qr_ codes of emv/ for a malformed EMV payload
// (qr_crc_mismatch, qr_payload_truncated, ...), qr_code_foreign (a valid EMV payload of another
// scheme, or a URL of another host), qr_code_not_found (our template without a token).
Result<ScannedText> read_scanned_text(const QrContext& context, std::string_view text);

}  // namespace mpay::qr
