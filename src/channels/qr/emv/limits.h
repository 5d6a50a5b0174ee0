// Limits of the EMVCo merchant-presented payload, declared in one place.
//
// What: every length, count and range the codec checks, as compile-time constants, taken from the
// EMV QR Code Specification for Payment Systems, Merchant-Presented Mode v1.1 (EMV QRCPS MPM)
// tables 3.x and 4.x, plus the limits of mpay's own merchant account template.
// Threads: constants only. Failure: none (nothing here runs).
// Lengths are in characters (Unicode code points), as the spec counts them, never in bytes.
#pragma once

#include <cstddef>

namespace mpay::qr {

// The whole payload, CRC included (EMV QRCPS MPM section 3.x: "the QR Code shall contain at most
// 512 characters"). A character is at most 4 UTF-8 bytes, which bounds the bytes we look at.
inline constexpr size_t kPayloadCharactersMax = 512;
inline constexpr size_t kPayloadBytesMax = kPayloadCharactersMax * 4;

// One data object: a 2-digit ID, a 2-digit length, then 1..99 characters of value.
inline constexpr size_t kIdCharacters = 2;
inline constexpr size_t kLengthCharacters = 2;
inline constexpr size_t kValueCharactersMin = 1;
inline constexpr size_t kValueCharactersMax = 99;

// Root data objects.
inline constexpr size_t kCrcCharacters = 4;                      // 63
inline constexpr size_t kMerchantCategoryCodeCharacters = 4;     // 52
inline constexpr size_t kCurrencyCharacters = 3;                 // 53
inline constexpr size_t kAmountCharactersMax = 13;               // 54, 56
inline constexpr size_t kPercentageCharactersMax = 5;            // 57 ("99.99")
inline constexpr int kPercentageHundredthsMin = 1;               // 57: 00.01 %
inline constexpr int kPercentageHundredthsMax = 9999;            // 57: 99.99 %
inline constexpr size_t kCountryCodeCharacters = 2;              // 58
inline constexpr size_t kMerchantNameCharactersMax = 25;         // 59
inline constexpr size_t kMerchantCityCharactersMax = 15;         // 60
inline constexpr size_t kPostalCodeCharactersMax = 10;           // 61

// Merchant account information (02-51); templates 26-51 carry a globally unique identifier (00).
inline constexpr int kMerchantAccountIdFirst = 2;
inline constexpr int kMerchantAccountPrimitiveIdLast = 25;
inline constexpr int kMerchantAccountIdLast = 51;
inline constexpr size_t kGloballyUniqueIdentifierCharactersMax = 32;

// Additional data field template (62): 01-08 are 1..25 characters, 09 is 1..3 of "A", "M", "E";
// 10-49 are RFU and 50-99 payment-system specific, both preserved.
inline constexpr size_t kAdditionalDataCharactersMax = 25;
inline constexpr size_t kConsumerDataRequestCharactersMax = 3;
inline constexpr int kAdditionalDataOtherIdFirst = 10;

// Merchant information - language template (64).
inline constexpr size_t kLanguagePreferenceCharacters = 2;
inline constexpr size_t kAlternateNameCharactersMax = 25;
inline constexpr size_t kAlternateCityCharactersMax = 15;
inline constexpr int kLanguageOtherIdFirst = 3;

// Root IDs kept as they are: 65-79 RFU for EMVCo, 80-99 unreserved templates.
inline constexpr int kPreservedIdFirst = 65;
inline constexpr int kIdLast = 99;

// mpay's own merchant account template (mpay_account_template.h).
inline constexpr int kMpayAccountTemplateId = 26;
inline constexpr size_t kMpayMerchantIdCharacters = 32;
inline constexpr size_t kMpayCodeTokenCharactersMax = 32;

}  // namespace mpay::qr
