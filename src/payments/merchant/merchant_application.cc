#include "payments/merchant/merchant_application.h"

#include <algorithm>

#include "core/display_text.h"
#include "payments/bank/bank_account_format.h"
#include "payments/merchant/country_codes.h"
#include "payments/merchant/merchant_category.h"
#include "payments/merchant/webhook_url.h"

namespace mpay::merchant {
namespace {

// Code points in valid UTF-8 (the JSON layer has already checked the encoding).
size_t code_points(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(),
                                           [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Status validate_name(std::string_view text, size_t chars_max, const char* field) {
  bool blank = std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; });
  if (blank) return Error("name_invalid", std::string(field) + " must not be empty", field);
  if (code_points(text) > chars_max) {
    return Error("name_invalid", std::string(field) + " is longer than " + std::to_string(chars_max) + " characters",
                 field);
  }
  // Names go into SMS, payment pages, QR captions and the console: no C0/C1 controls, DEL,
  // bidirectional controls or invisible format characters (core/display_text.h).
  if (has_hidden_control(text)) {
    return Error(
        "name_invalid",
        std::string(field) + " must not contain control or bidirectional formatting characters",
        field);
  }
  return ok_status();
}

Result<std::vector<Currency>> validate_currencies(const std::vector<std::string>& codes,
                                                  const Currency& server_currency) {
  if (codes.empty()) return std::vector<Currency>{server_currency};
  if (codes.size() > kCurrenciesMax) {
    return Error("currency_too_many", "at most " + std::to_string(kCurrenciesMax) + " currencies", "currencies");
  }
  std::vector<Currency> currencies;
  for (const std::string& code : codes) {
    std::optional<Currency> currency = currency_by_code(code);
    if (!currency) return Error("currency_invalid", code + " is not an ISO 4217 code", "currencies");
    if (std::find(currencies.begin(), currencies.end(), *currency) != currencies.end()) {
      return Error("currency_duplicate", code + " is listed twice", "currencies");
    }
    currencies.push_back(*currency);
  }
  if (std::find(currencies.begin(), currencies.end(), server_currency) == currencies.end()) {
    return Error("currency_missing",
                 "currencies must include " + std::string(server_currency.code) + ", the wallets' currency",
                 "currencies");
  }
  std::sort(currencies.begin(), currencies.end(),
            [](const Currency& a, const Currency& b) { return a.numeric < b.numeric; });
  return currencies;
}

}  // namespace

Result<std::vector<Currency>> validate_application(const MerchantApplication& application,
                                                  const Currency& server_currency) {
  Status name = validate_name(application.legal_name, kLegalNameCharsMax, "legal_name");
  if (!name.ok()) return name.error();
  name = validate_name(application.display_name, kDisplayNameCharsMax, "display_name");
  if (!name.ok()) return name.error();
  if (!mcc_category(application.mcc)) {
    return Error("mcc_invalid", "mcc must be an assigned ISO 18245 merchant category code (4 digits)", "mcc");
  }
  if (!is_iso3166_alpha2(application.country)) {
    return Error("country_invalid", "country must be an ISO 3166-1 alpha-2 code in upper case, e.g. CN", "country");
  }
  name = validate_name(application.city, kCityCharsMax, "city");
  if (!name.ok()) return name.error();
  if (application.fee_bps < 0 || application.fee_bps > kFeeBpsMax) {
    return Error("fee_bps_invalid", "fee_bps must be 0 to 10000 (basis points of the amount)", "fee_bps");
  }
  Result<std::vector<Currency>> currencies = validate_currencies(application.currencies, server_currency);
  if (!currencies.ok()) return currencies.error();
  Status bank = bank::validate_bank_account(application.settlement_account);
  if (!bank.ok()) {
    return Error(bank.error().code, bank.error().message, "settlement_account." + bank.error().field);
  }
  Status url = validate_webhook_url(application.webhook_url);
  if (!url.ok()) return url.error();
  return currencies;
}

}  // namespace mpay::merchant
