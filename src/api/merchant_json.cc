#include "api/merchant_json.h"

#include <array>
#include <string_view>
#include <utility>

#include "core/currency.h"
#include "core/time_text.h"
#include "payments/merchant/merchant_category.h"

namespace mpay::api {
namespace {

nlohmann::json key_summary_json(const merchant::ApiKey& key) {
  nlohmann::json json = {{"key_id", key.key_id},
                         {"status", key.status == merchant::KeyStatus::active ? "active" : "revoked"},
                         {"created_at", format_rfc3339_ms(key.created_at_ns)}};
  json["revoked_at"] = key.revoked_at_ns == 0 ? nlohmann::json(nullptr) : nlohmann::json(format_rfc3339_ms(key.revoked_at_ns));
  return json;
}

}  // namespace

nlohmann::json merchant_json(const merchant::MerchantView& view) {
  const merchant::MerchantRecord& record = view.record;
  nlohmann::json accounts = nlohmann::json::array();
  for (const merchant::MerchantAccount& account : record.accounts) {
    std::optional<Currency> currency = currency_by_numeric(account.currency);
    accounts.push_back({{"currency", currency ? std::string(currency->code) : std::to_string(account.currency)},
                        {"account_id", account.account_id.to_string()}});
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const merchant::ApiKey& key : view.keys) keys.push_back(key_summary_json(key));
  return {{"merchant_id", record.id.to_string()},
          {"legal_name", record.legal_name},
          {"display_name", record.display_name},
          {"mcc", record.mcc},
          {"mcc_category", std::string(merchant::mcc_category(record.mcc).value_or(""))},
          {"country", record.country},
          {"city", record.city},
          {"fee_bps", record.fee_bps},
          {"status", record.status == merchant::MerchantStatus::active ? "active" : "suspended"},
          {"accounts", std::move(accounts)},
          {"settlement_account",
           {{"bank_code", record.settlement_bank_code},
            {"account_number", record.settlement_account_masked},
            {"holder_name", record.settlement_holder_masked}}},
          {"webhook_url", record.webhook_url},
          {"api_keys", std::move(keys)},
          {"created_at", format_rfc3339_ms(record.created_at_ns)},
          {"updated_at", format_rfc3339_ms(record.updated_at_ns)}};
}

nlohmann::json new_key_json(const merchant::NewKey& key, bool with_secret) {
  nlohmann::json json = {{"key_id", key.key_id}, {"created_at", format_rfc3339_ms(key.created_at_ns)}};
  // A replay of the creating request gets null: the secret is shown once and never stored in clear.
  json["secret"] = with_secret ? nlohmann::json(key.secret) : nlohmann::json(nullptr);
  return json;
}

unsigned merchant_error_status(const std::string& code) {
  static const std::array<std::pair<std::string_view, unsigned>, 13> kExact = {{
      {"merchant_not_found", 404}, {"key_not_found", 404}, {"not_found", 404},
      {"key_already_revoked", 409}, {"already_suspended", 409}, {"not_suspended", 409},
      {"key_limit_reached", 409}, {"already_exists", 409},
      {"store_busy", 503}, {"ledger_closed", 503}, {"too_many_events", 503},
      {"store_error", 500}, {"ledger_rejected", 500},
  }};
  for (const auto& [name, status] : kExact) {
    if (code == name) return status;
  }
  if (code.starts_with("sealed_data_")) return 500;
  return 400;  // input: json_*, *_invalid, currency_*, bank_account_invalid, ...
}

}  // namespace mpay::api
