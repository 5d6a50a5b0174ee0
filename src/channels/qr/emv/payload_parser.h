// The strict parser: the text of a scanned merchant-presented QR code into a MerchantPresentedPayload.
//
// What: checks, in this order, the size (1..512 characters) and UTF-8; the data object framing; the
// CRC (63 present, last, 4 upper-case hex, equal to CRC-16/CCITT-FALSE of the UTF-8 bytes up to and
// including "6304"); unique root IDs; 00 first and "01"; then every object's own rules (the same
// rules build_payload applies). Objects may otherwise come in any order (the EMVCo example puts 64
// before 54). A dynamic code (01 = "12") without an amount and a static code with one are accepted,
// as the spec allows. Objects 65-99, 62.10-62.99 and 64.03-64.99 are kept in order.
// Threads: pure, thread-safe. Input is untrusted (fuzzed: fuzz/emv_payload_fuzz.cc).
// Failure: errors as values, never exceptions; Error::field names the data object ("59", "62.07").
// Codes (error_codes.h):
//   qr_payload_empty, qr_payload_too_long, qr_utf8_invalid            the text as a whole
//   qr_id_invalid, qr_length_invalid, qr_payload_truncated,
//   qr_template_truncated, qr_duplicate_id                            framing
//   qr_crc_missing, qr_crc_not_last, qr_data_after_crc,
//   qr_crc_format_invalid, qr_crc_mismatch ("expected X, found Y")    the CRC
//   qr_format_indicator_not_first, qr_format_indicator_invalid,
//   qr_initiation_invalid, qr_tip_indicator_invalid                   fixed values of 00, 01, 55
//   qr_field_missing, qr_field_length_invalid,
//   qr_field_characters_invalid, qr_currency_unknown, qr_amount_invalid,
//   qr_merchant_account_missing, qr_globally_unique_identifier_missing,
//   qr_convenience_fee_missing, qr_convenience_fee_unexpected,
//   qr_convenience_fee_invalid                                        the objects' rules
#pragma once

#include <string_view>

#include "channels/qr/emv/payload.h"
#include "core/error.h"

namespace mpay::qr {

Result<MerchantPresentedPayload> parse_payload(std::string_view text);

}  // namespace mpay::qr
