// The generator: a MerchantPresentedPayload written as the text a QR code carries.
//
// What: checks the model against the same rules parse_payload applies (payload_rules), writes the
// data objects in the canonical order (00, 01, merchant accounts as listed, 52-61, 62, 64, then the
// preserved 65-99 objects as listed) and appends "6304" and the CRC-16/CCITT-FALSE of everything
// before it. parse_payload(build_payload(p)) == p for every p the builder accepts.
// Threads: pure, thread-safe.
// Failure: errors as values, never exceptions. Codes (error_codes.h): qr_field_missing,
// qr_field_length_invalid (also a template whose encoded value exceeds 99 characters),
// qr_field_characters_invalid, qr_utf8_invalid, qr_id_invalid, qr_duplicate_id,
// qr_merchant_account_missing, qr_globally_unique_identifier_missing, qr_currency_unknown,
// qr_amount_invalid, qr_convenience_fee_missing, qr_convenience_fee_unexpected,
// qr_convenience_fee_invalid, qr_payload_too_long (more than 512 characters with the CRC).
#pragma once

#include <string>

#include "channels/qr/emv/payload.h"
#include "core/error.h"

namespace mpay::qr {

Result<std::string> build_payload(const MerchantPresentedPayload& payload);

}  // namespace mpay::qr
