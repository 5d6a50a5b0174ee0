#include "api/wallet_json.h"

#include <array>
#include <string_view>

#include "core/money.h"
#include "core/time_text.h"
#include "payments/wallet/bank_orders.h"

namespace mpay::api {
namespace {

std::string_view kyc_name(wallet::KycLevel level) {
  switch (level) {
    case wallet::KycLevel::phone_verified: return "phone_verified";
    case wallet::KycLevel::identity_checked: return "identity_checked";
    case wallet::KycLevel::bank_linked: return "bank_linked";
  }
  return "unknown";
}

bool starts_with_any(const std::string& code, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (code.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

nlohmann::json profile_json(const wallet::Profile& profile, const Currency& currency) {
  const wallet::UserRecord& user = profile.user;
  nlohmann::json json = {
      {"user_id", user.id.to_string()},
      {"phone", profile.phone_masked},
      {"status", user.status == wallet::UserStatus::frozen ? "frozen" : "active"},
      {"kyc_level", static_cast<int>(user.kyc_level)},
      {"kyc_status", kyc_name(user.kyc_level)},
      {"currency", currency.code},
      {"wallet_account_id", user.wallet_account_id.to_string()},
      {"created_at", format_rfc3339_ms(user.created_at_ns)},
      {"limits",
       {{"per_payment", format_amount(profile.limits.per_payment_minor, currency)},
        {"per_day", format_amount(profile.limits.per_day_minor, currency)},
        {"per_month", format_amount(profile.limits.per_month_minor, currency)},
        {"balance_cap", format_amount(profile.limits.balance_cap_minor, currency)}}},
      {"used",
       {{"today", format_amount(profile.used.today_minor, currency)},
        {"this_month", format_amount(profile.used.this_month_minor, currency)}}},
  };
  json["name"] = profile.name_masked ? nlohmann::json(*profile.name_masked) : nlohmann::json(nullptr);
  json["document"] = user.document_type.empty()
                         ? nlohmann::json(nullptr)
                         : nlohmann::json{{"type", user.document_type}, {"number", user.document_masked}};
  return json;
}

nlohmann::json wallet_balance_json(const wallet::WalletBalance& balance, const Currency& currency) {
  return {{"currency", currency.code},
          {"available", format_amount(balance.available_minor, currency)},
          {"pending", format_amount(balance.outgoing_pending_minor, currency)},
          {"posted", format_amount(balance.posted_minor, currency)},
          {"incoming_pending", format_amount(balance.incoming_pending_minor, currency)}};
}

nlohmann::json transaction_page_json(const wallet::TransactionPage& page, const Currency& currency) {
  nlohmann::json items = nlohmann::json::array();
  for (const wallet::TransactionItem& item : page.items) {
    nlohmann::json json = {{"id", item.id.to_string()},
                           {"type", wallet::to_string(item.type)},
                           {"direction", item.incoming ? "in" : "out"},
                           {"amount", format_amount(item.amount_minor, currency)},
                           {"currency", currency.code},
                           {"status", item.status},
                           {"counterparty", item.counterparty},
                           {"created_at", format_rfc3339_ms(item.at_ns)}};
    json["note"] = item.note ? nlohmann::json(*item.note) : nlohmann::json(nullptr);
    items.push_back(std::move(json));
  }
  nlohmann::json json = {{"items", std::move(items)}};
  json["next_cursor"] =
      page.next_cursor ? nlohmann::json(std::to_string(*page.next_cursor)) : nlohmann::json(nullptr);
  return json;
}

nlohmann::json p2p_receipt_json(const wallet::P2pReceipt& receipt, const Currency& currency) {
  return {{"id", receipt.id.to_string()},
          {"status", "completed"},
          {"amount", format_amount(receipt.amount_minor, currency)},
          {"currency", currency.code},
          {"to", receipt.to_phone_masked},
          {"created_at", format_rfc3339_ms(receipt.at_ns)}};
}

nlohmann::json bank_account_json(const wallet::BankAccountRecord& account) {
  return {{"bank_account_id", to_uuid_text(account.id)},
          {"bank_code", account.bank_code},
          {"masked_account_number", account.masked_number},
          {"created_at", format_rfc3339_ms(account.created_at_ns)}};
}

nlohmann::json bank_order_json(const wallet::BankOrderRecord& order, const Currency& currency) {
  nlohmann::json json = {
      {"id", order.reference},
      {"kind", order.kind == wallet::BankOrderKind::top_up ? "top_up" : "withdrawal"},
      {"status", wallet::to_string(order.status)},
      {"amount", format_amount(order.amount_minor, currency)},
      {"currency", currency.code},
      {"bank_account_id", to_uuid_text(order.bank_account_id)},
      {"ledger_transfer_id", order.ledger_transfer_id.to_string()},
      {"created_at", format_rfc3339_ms(order.created_at_ns)},
      {"updated_at", format_rfc3339_ms(order.updated_at_ns)}};
  json["decline_code"] = order.decline_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(order.decline_code);
  return json;
}

nlohmann::json session_json(const wallet::SessionGrant& grant) {
  return {{"token", grant.token},
          {"token_type", "Bearer"},
          {"user_id", grant.user_id.to_string()},
          {"expires_at", format_rfc3339_ms(grant.expires_at_ns)}};
}

unsigned wallet_error_status(const std::string& code) {
  static const std::array<std::pair<std::string_view, unsigned>, 29> kExact = {{
      {"session_invalid", 401}, {"session_expired", 401}, {"otp_required", 401},
      {"pin_incorrect", 403}, {"account_frozen", 403}, {"recipient_frozen", 403},
      {"kyc_required", 403}, {"pin_locked", 423},
      {"user_not_found", 404}, {"recipient_not_found", 404}, {"bank_account_not_found", 404},
      {"bank_order_not_found", 404},
      {"phone_registered", 409}, {"kyc_already_verified", 409}, {"already_frozen", 409},
      {"not_frozen", 409}, {"already_exists", 409},
      {"otp_rate_limited", 429}, {"bank_busy", 503}, {"store_busy", 503},
      {"kyc_unavailable", 503}, {"bank_unavailable", 503}, {"sms_unavailable", 503},
      {"ledger_closed", 503}, {"too_many_events", 503},
      {"store_error", 500}, {"ledger_rejected", 500}, {"not_found", 404},
      {"wallet_not_found", 500},
  }};
  for (const auto& [name, status] : kExact) {
    if (code == name) return status;
  }
  if (code == "otp_format") return 400;
  if (starts_with_any(code, {"otp_"})) return 403;
  if (code == "self_transfer" || code == "insufficient_funds" || code == "currency_mismatch" ||
      code == "amount_zero" || code == "amount_too_large" || code == "pin_too_simple" ||
      code == "pin_matches_birth_date" || code == "pin_unchanged" ||
      code == "bank_accounts_limit" || code == "bank_account_holder_mismatch" ||
      code.ends_with("balance_cap_exceeded") ||
      (code.starts_with("limit_") && code.ends_with("_exceeded")) || code.starts_with("kyc_")) {
    return 422;
  }
  return 400;  // input errors: json_*, amount_*, phone_*, pin_format, document_*, ...
}

}  // namespace mpay::api
