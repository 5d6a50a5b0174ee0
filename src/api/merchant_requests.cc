#include "api/merchant_requests.h"

#include <charconv>

#include "api/json_body.h"
#include "payments/merchant/merchant_admin.h"
#include "payments/merchant/webhook_url.h"

namespace mpay::api {
namespace {

constexpr size_t kMccCharsMax = 4;
constexpr size_t kCountryCharsMax = 2;
constexpr size_t kBankCodeCharsMax = 16;
constexpr size_t kAccountNumberCharsMax = 40;
constexpr size_t kHolderCharsMax = 100;
constexpr size_t kCurrencyCharsMax = 3;

Status read_settlement(JsonObjectReader& parent, bank::BankAccount& account) {
  Result<const nlohmann::json*> value = parent.optional_value("settlement_account");
  if (!value.ok()) return value.error();
  if (*value == nullptr) {
    return Error("json_missing_field", "settlement_account is required", "settlement_account");
  }
  JsonObjectReader r(**value, parent.field_path("settlement_account"));
  MPAY_READ(account.bank_code, r.required_string("bank_code", kBankCodeCharsMax));
  MPAY_READ(account.account_number, r.required_string("account_number", kAccountNumberCharsMax));
  MPAY_READ(account.holder_name, r.required_string("holder_name", kHolderCharsMax));
  return r.reject_unknown_fields();
}

}  // namespace

Result<merchant::MerchantApplication> decode_merchant_application(std::string_view body) {
  Result<nlohmann::json> json = parse_json_body(body);
  if (!json.ok()) return json.error();
  merchant::MerchantApplication application;
  JsonObjectReader r(*json);
  MPAY_READ(application.legal_name, r.required_string("legal_name", merchant::kLegalNameCharsMax));
  MPAY_READ(application.display_name, r.required_string("display_name", merchant::kDisplayNameCharsMax));
  MPAY_READ(application.mcc, r.required_string("mcc", kMccCharsMax));
  MPAY_READ(application.country, r.required_string("country", kCountryCharsMax));
  MPAY_READ(application.city, r.required_string("city", merchant::kCityCharsMax));
  MPAY_READ(application.fee_bps, r.required_int64("fee_bps"));
  MPAY_READ(application.currencies, r.optional_string_array("currencies", kCurrencyCharsMax));
  Status settlement = read_settlement(r, application.settlement_account);
  if (!settlement.ok()) return settlement.error();
  MPAY_READ(application.webhook_url, r.required_string("webhook_url", merchant::kWebhookUrlCharsMax));
  Status unknown = r.reject_unknown_fields();
  if (!unknown.ok()) return unknown.error();
  return application;
}

Result<MerchantListQuery> decode_merchant_list_query(const std::vector<std::pair<std::string, std::string>>& query) {
  MerchantListQuery list;
  for (const auto& [name, value] : query) {
    if (name == "limit") {
      size_t limit = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (error != std::errc() || end != value.data() + value.size() || limit < 1 ||
          limit > merchant::kListLimitMax) {
        return Error("limit_invalid", "limit must be 1 to 100", "limit");
      }
      list.limit = limit;
    } else if (name == "after") {
      std::optional<Id128> id = parse_uuid_text(value);
      if (!id) return Error("after_invalid", "after must be a merchant id (UUID)", "after");
      list.after = merchant::MerchantId(*id);
    } else {
      return Error("query_parameter_unknown", "unknown query parameter (see field)", name);
    }
  }
  return list;
}

}  // namespace mpay::api
