// Error codes of the EMVCo payload codec: every rejection has its own stable snake_case code.
//
// What: the codes returned in mpay::Error::code by parse_payload, build_payload and the helpers of
// this folder. Error::field names the data object at fault: a root ID ("59"), or a template ID and a
// subfield ID joined by a dot ("62.07", "26.00"); it is empty when the whole payload is at fault.
// Error::message is for humans, printable ASCII, and never repeats the payload's bytes except a CRC.
// Threads: constants only. Failure: none.
#pragma once

#include <string_view>

namespace mpay::qr::error_code {

// --- The payload as a whole ---------------------------------------------------------------------
inline constexpr std::string_view kPayloadEmpty = "qr_payload_empty";        // no characters at all
inline constexpr std::string_view kPayloadTooLong = "qr_payload_too_long";   // > 512 characters
inline constexpr std::string_view kUtf8Invalid = "qr_utf8_invalid";          // not well-formed UTF-8
// --- Data object framing (ID, length, value) -----------------------------------------------------
// An ID that is not two digits, or a two-digit ID that is not allowed where it stands (e.g. "55"
// given as a merchant account, "05" among the preserved root objects, "00" inside template 62).
inline constexpr std::string_view kIdInvalid = "qr_id_invalid";
// A length that is not two digits, or "00" (a value has at least one character).
inline constexpr std::string_view kLengthInvalid = "qr_length_invalid";
// The root ends inside a data object (fewer characters than its ID, length or value need).
inline constexpr std::string_view kPayloadTruncated = "qr_payload_truncated";
// A template's value (26-51, 62, 64) ends inside one of its data objects.
inline constexpr std::string_view kTemplateTruncated = "qr_template_truncated";
// The same ID twice at one level (root, or inside one template).
inline constexpr std::string_view kDuplicateId = "qr_duplicate_id";
// --- CRC (63) ------------------------------------------------------------------------------------
inline constexpr std::string_view kCrcMissing = "qr_crc_missing";            // no data object 63
inline constexpr std::string_view kCrcNotLast = "qr_crc_not_last";           // data objects follow 63
inline constexpr std::string_view kDataAfterCrc = "qr_data_after_crc";       // stray characters follow 63
inline constexpr std::string_view kCrcFormatInvalid = "qr_crc_format_invalid";  // not 4 upper-case hex
// The CRC does not match; the message says "expected XXXX, found YYYY".
inline constexpr std::string_view kCrcMismatch = "qr_crc_mismatch";
// --- Fixed-value root objects --------------------------------------------------------------------
inline constexpr std::string_view kFormatIndicatorNotFirst = "qr_format_indicator_not_first";  // 00 not first
inline constexpr std::string_view kFormatIndicatorInvalid = "qr_format_indicator_invalid";     // 00 not "01"
inline constexpr std::string_view kInitiationInvalid = "qr_initiation_invalid";                // 01 not "11"/"12"
// --- Values --------------------------------------------------------------------------------------
inline constexpr std::string_view kFieldMissing = "qr_field_missing";        // a mandatory object absent
inline constexpr std::string_view kFieldLengthInvalid = "qr_field_length_invalid";  // too long/short for its ID
// A character the object's format does not allow (digits for 52/53, "A"-"Z" for 58, the
// alphanumeric special set 0x20-0x7E for the "ans" objects, "A"/"M"/"E" once each for 62.09).
inline constexpr std::string_view kFieldCharactersInvalid = "qr_field_characters_invalid";
inline constexpr std::string_view kCurrencyUnknown = "qr_currency_unknown";  // 53 not a known ISO 4217 code
// 54 (or 56) not digits with at most one '.', or more fraction digits than the currency has.
inline constexpr std::string_view kAmountInvalid = "qr_amount_invalid";
inline constexpr std::string_view kMerchantAccountMissing = "qr_merchant_account_missing";  // none of 02-51
// A merchant account template (26-51) without its globally unique identifier (00).
inline constexpr std::string_view kGloballyUniqueIdentifierMissing = "qr_globally_unique_identifier_missing";
inline constexpr std::string_view kTipIndicatorInvalid = "qr_tip_indicator_invalid";  // 55 not 01/02/03
// 55 is "02" without 56, or "03" without 57.
inline constexpr std::string_view kConvenienceFeeMissing = "qr_convenience_fee_missing";
// 56 or 57 present without 55 "02" / "03" respectively.
inline constexpr std::string_view kConvenienceFeeUnexpected = "qr_convenience_fee_unexpected";
// 57 not a percentage between 00.01 and 99.99 (56's malformations are qr_amount_invalid).
inline constexpr std::string_view kConvenienceFeeInvalid = "qr_convenience_fee_invalid";
// --- mpay's merchant account template (mpay_account_template.h) ---------------------------------
inline constexpr std::string_view kMpayAccountMissing = "qr_mpay_account_missing";  // no template with our identifier
inline constexpr std::string_view kMpayMerchantIdInvalid = "qr_mpay_merchant_id_invalid";  // 01 not 32 lower-case hex
inline constexpr std::string_view kMpayCodeTokenInvalid = "qr_mpay_code_token_invalid";    // 02 not 1-32 [A-Za-z0-9]

}  // namespace mpay::qr::error_code
