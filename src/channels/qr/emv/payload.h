// The typed model of an EMVCo merchant-presented QR payload (EMV QRCPS MPM v1.1).
//
// What: one MerchantPresentedPayload per QR code. Mandatory root objects are plain members (an empty
// string means "absent", which build_payload and parse_payload refuse with qr_field_missing);
// optional ones are std::optional. The payload format indicator (00, always "01") and the CRC (63)
// are not stored: the parser checks them and the builder writes them. Objects the spec reserves
// for future use or leaves to payment systems are kept, in order, and written back by the builder.
// Strings are UTF-8; lengths are counted in characters (limits.h).
// Threads: plain values, thread-safe to copy and compare. Failure: none here (see payload_rules in
// payload_builder.h / payload_parser.h for what is valid).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "channels/qr/emv/tlv.h"
#include "core/currency.h"

namespace mpay::qr {

// Root data object IDs (EMV QRCPS MPM table 3.x / 4.x).
namespace id {
inline constexpr std::string_view kPayloadFormatIndicator = "00";
inline constexpr std::string_view kPointOfInitiationMethod = "01";
inline constexpr std::string_view kMerchantCategoryCode = "52";
inline constexpr std::string_view kTransactionCurrency = "53";
inline constexpr std::string_view kTransactionAmount = "54";
inline constexpr std::string_view kTipOrConvenienceIndicator = "55";
inline constexpr std::string_view kConvenienceFeeFixed = "56";
inline constexpr std::string_view kConvenienceFeePercentage = "57";
inline constexpr std::string_view kCountryCode = "58";
inline constexpr std::string_view kMerchantName = "59";
inline constexpr std::string_view kMerchantCity = "60";
inline constexpr std::string_view kPostalCode = "61";
inline constexpr std::string_view kAdditionalDataFieldTemplate = "62";
inline constexpr std::string_view kCrc = "63";
inline constexpr std::string_view kMerchantInformationLanguageTemplate = "64";
// Inside a merchant account information template (26-51).
inline constexpr std::string_view kGloballyUniqueIdentifier = "00";
}  // namespace id

inline constexpr std::string_view kPayloadFormatIndicatorValue = "01";

enum class InitiationMethod {
  static_code,   // "11": the same code for many transactions
  dynamic_code,  // "12": a new code for each transaction
};

enum class TipOrConvenience {
  prompt_consumer,  // "01": the consumer's app asks for a tip
  fixed_fee,        // "02": 56 holds a fixed convenience fee
  percentage_fee,   // "03": 57 holds a percentage convenience fee
};

// Merchant account information, 02-51. IDs 02-25 are primitive (`value`), reserved by EMVCo for
// card schemes; IDs 26-51 are templates (`data_objects`, in order, with 00 the globally unique
// identifier of the payment system: an AID, a UUID or a reverse domain name such as "com.mpay").
struct MerchantAccount {
  std::string id;
  std::string value;                     // 02-25 only
  std::vector<DataObject> data_objects;  // 26-51 only, 00 included

  friend bool operator==(const MerchantAccount&, const MerchantAccount&) = default;
};

// Additional data field template, 62. "***" in a field asks the consumer's app to prompt for it.
struct AdditionalData {
  std::optional<std::string> bill_number;                      // 01
  std::optional<std::string> mobile_number;                    // 02
  std::optional<std::string> store_label;                      // 03
  std::optional<std::string> loyalty_number;                   // 04
  std::optional<std::string> reference_label;                  // 05
  std::optional<std::string> customer_label;                   // 06
  std::optional<std::string> terminal_label;                   // 07
  std::optional<std::string> purpose_of_transaction;           // 08
  std::optional<std::string> additional_consumer_data_request; // 09: "A", "M", "E", each at most once
  std::vector<DataObject> other_data_objects;  // 10-49 RFU, 50-99 payment-system specific, in order

  friend bool operator==(const AdditionalData&, const AdditionalData&) = default;
};

// Merchant information - language template, 64. Its names may be in any script.
struct MerchantInformationLanguage {
  std::string language_preference;           // 00, mandatory: ISO 639-1 two letters ("ZH")
  std::string merchant_name;                 // 01, mandatory: 1-25 characters
  std::optional<std::string> merchant_city;  // 02: 1-15 characters
  std::vector<DataObject> other_data_objects;  // 03-99 RFU, in order

  friend bool operator==(const MerchantInformationLanguage&, const MerchantInformationLanguage&) = default;
};

struct MerchantPresentedPayload {
  std::optional<InitiationMethod> point_of_initiation;           // 01
  std::vector<MerchantAccount> merchant_accounts;                // 02-51, at least one, in order
  std::string merchant_category_code;                            // 52: ISO 18245, 4 digits
  Currency transaction_currency;                                 // 53: ISO 4217 numeric
  std::optional<std::string> transaction_amount;                 // 54: "25.00", as written
  std::optional<TipOrConvenience> tip_or_convenience;            // 55
  std::optional<std::string> convenience_fee_fixed;              // 56: an amount, as written
  std::optional<std::string> convenience_fee_percentage;         // 57: "00.01".."99.99"
  std::string country_code;                                      // 58: ISO 3166-1 alpha-2
  std::string merchant_name;                                     // 59: 1-25
  std::string merchant_city;                                     // 60: 1-15
  std::optional<std::string> postal_code;                        // 61: 1-10
  std::optional<AdditionalData> additional_data;                 // 62
  std::optional<MerchantInformationLanguage> language_template;  // 64
  std::vector<DataObject> other_data_objects;  // 65-79 RFU and 80-99 unreserved templates, in order

  friend bool operator==(const MerchantPresentedPayload&, const MerchantPresentedPayload&) = default;
};

}  // namespace mpay::qr
