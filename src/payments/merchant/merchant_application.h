// What an operator submits to onboard a merchant, and its validation: every rule in one place,
// each failure naming the exact input field (the JSON path of POST /v1/admin/merchants).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/currency.h"
#include "core/error.h"
#include "payments/bank/bank_connector.h"

namespace mpay::merchant {

inline constexpr size_t kLegalNameCharsMax = 200;
inline constexpr size_t kDisplayNameCharsMax = 64;  // shown to users on small screens and in SMS
inline constexpr size_t kCityCharsMax = 100;
inline constexpr int kFeeBpsMax = 10000;
inline constexpr size_t kCurrenciesMax = 8;

struct MerchantApplication {
  std::string legal_name;
  std::string display_name;
  std::string mcc;      // "5814"
  std::string country;  // "CN"
  std::string city;
  int64_t fee_bps = 0;
  std::vector<std::string> currencies;  // ISO 4217 codes; empty = the server's currency only
  bank::BankAccount settlement_account;
  std::string webhook_url;
};

// The application's currencies, checked: known ISO 4217 codes, no duplicates, at most
// kCurrenciesMax, and including `server_currency` (the wallets' currency: a merchant must be
// payable by them). Sorted by numeric code. Errors (field in parentheses):
//   name_invalid (legal_name, display_name, city): empty, too long, or control characters
//   mcc_invalid (mcc), country_invalid (country), fee_bps_invalid (fee_bps),
//   currency_invalid / currency_duplicate / currency_missing / currency_too_many (currencies),
//   bank_account_invalid (settlement_account.bank_code|account_number|holder_name),
//   webhook_url_invalid (webhook_url)
Result<std::vector<Currency>> validate_application(const MerchantApplication& application,
                                                  const Currency& server_currency);

}  // namespace mpay::merchant
