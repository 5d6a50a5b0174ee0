#include "channels/qr/code_payload.h"

#include <fmt/format.h>

#include "channels/qr/emv/emv.h"

namespace mpay::qr {
namespace {

// EMV's "ans" fields (59, 60, 62.xx) take printable ASCII: a name in another script keeps its
// ASCII characters, or a neutral word when none (the name in that script goes in template 64).
std::string ascii_field(std::string_view text, size_t chars_max, std::string_view fallback) {
  std::string field;
  for (char c : text) {
    if (c >= 0x20 && c <= 0x7E && field.size() < chars_max) field.push_back(c);
  }
  while (!field.empty() && field.back() == ' ') field.pop_back();
  while (!field.empty() && field.front() == ' ') field.erase(field.begin());
  return field.empty() ? std::string(fallback) : field;
}

std::string merchant_id_hex(const Id128& id) {
  return fmt::format("{:016x}{:016x}", id.high, id.low);
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

bool token_characters(std::string_view token) {
  if (token.empty() || token.size() > 32) return false;
  for (char c : token) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::string> build_code_payload(const QrOptions& options,
                                       const requests::MerchantProfile& merchant,
                                       const MerchantCode& code, const NewMerchantCode& request) {
  std::optional<Currency> currency = currency_by_numeric(code.currency);
  if (!currency) return Error("currency_unknown", "the code's currency is unknown");
  MpayAccountTemplate account_template(options.globally_unique_identifier);
  Result<MerchantAccount> account =
      account_template.build({merchant_id_hex(merchant.id), code.token});
  if (!account.ok()) return account.error();

  MerchantPresentedPayload payload;
  bool dynamic = code.kind == CodeKind::dynamic_code;
  payload.point_of_initiation =
      dynamic ? InitiationMethod::dynamic_code : InitiationMethod::static_code;
  payload.merchant_accounts.push_back(std::move(*account));
  payload.merchant_category_code = merchant.mcc;
  payload.transaction_currency = *currency;
  if (dynamic) {
    Result<std::string> amount = amount_text_from_minor(code.amount_minor, *currency);
    if (!amount.ok()) return amount.error();
    payload.transaction_amount = std::move(*amount);
  }
  payload.country_code = merchant.country;
  payload.merchant_name =
      ascii_field(merchant.display_name, kMerchantNameCharactersMax, "Merchant");
  payload.merchant_city = ascii_field(merchant.city, kMerchantCityCharactersMax, "City");
  AdditionalData additional;
  bool any_additional = false;
  if (dynamic && code.merchant_reference.size() <= kAdditionalDataCharactersMax) {
    additional.bill_number = code.merchant_reference;
    any_additional = true;
  }
  if (!code.terminal_label.empty()) {
    additional.terminal_label = code.terminal_label;
    any_additional = true;
  }
  if (any_additional) payload.additional_data = std::move(additional);
  if (!request.alternate_language.empty()) {
    MerchantInformationLanguage language;
    language.language_preference = upper(request.alternate_language);
    language.merchant_name = request.alternate_name;
    if (!request.alternate_city.empty()) language.merchant_city = request.alternate_city;
    payload.language_template = std::move(language);
  }
  return build_payload(payload);
}

Result<ScannedText> read_scanned_text(const QrContext& context, std::string_view text) {
  if (text.empty()) return Error("qr_payload_empty", "the scanned text is empty", "payload");
  if (text.size() > context.options.scanned_text_chars_max) {
    return Error(
        "qr_payload_too_long",
        fmt::format("a scanned text is at most {} bytes", context.options.scanned_text_chars_max),
        "payload");
  }
  if (text.starts_with("http://") || text.starts_with("https://")) {
    std::string prefix = context.public_url.get() + "/q/";
    if (!text.starts_with(prefix) || !token_characters(text.substr(prefix.size()))) {
      return Error("qr_code_foreign", "this link is not a payment code of this platform",
                   "payload");
    }
    return ScannedText{std::string(text.substr(prefix.size())), false};
  }
  Result<MerchantPresentedPayload> payload = parse_payload(text);
  if (!payload.ok()) {
    Error error = payload.error();
    if (error.field.empty()) error.field = "payload";
    return error;
  }
  MpayAccountTemplate account_template(context.options.globally_unique_identifier);
  Result<MpayAccountReference> reference = account_template.read(*payload);
  if (!reference.ok()) {
    if (reference.error().code == "qr_mpay_account_missing") {
      return Error("qr_code_foreign", "this QR code is for another payment scheme", "payload");
    }
    return reference.error();
  }
  if (!reference->code_token) {
    return Error("qr_code_not_found", "this code names a merchant but no code of this platform");
  }
  return ScannedText{*reference->code_token, true};
}

}  // namespace mpay::qr
