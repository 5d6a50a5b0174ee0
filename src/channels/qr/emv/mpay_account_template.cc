#include "channels/qr/emv/mpay_account_template.h"

#include <utility>

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/merchant_account.h"

namespace mpay::qr {
namespace {

constexpr std::string_view kMerchantIdSubfield = "01";
constexpr std::string_view kCodeTokenSubfield = "02";

std::string template_field(std::string_view subfield) {
  return field_name(internal::id_text(kMpayAccountTemplateId), subfield);
}

Status check_merchant_id(std::string_view merchant_id) {
  bool valid = merchant_id.size() == kMpayMerchantIdCharacters;
  for (char c : merchant_id) valid = valid && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (valid) return ok_status();
  return Error(std::string(error_code::kMpayMerchantIdInvalid), "a merchant id is 32 lower-case hex characters",
               template_field(kMerchantIdSubfield));
}

Status check_code_token(std::string_view token) {
  bool valid = !token.empty() && token.size() <= kMpayCodeTokenCharactersMax;
  for (char c : token) {
    valid = valid && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  if (valid) return ok_status();
  return Error(std::string(error_code::kMpayCodeTokenInvalid), "a code token is 1 to 32 letters or digits",
               template_field(kCodeTokenSubfield));
}

}  // namespace

MpayAccountTemplate::MpayAccountTemplate(std::string globally_unique_identifier)
    : globally_unique_identifier_(std::move(globally_unique_identifier)) {}

Result<MerchantAccount> MpayAccountTemplate::build(const MpayAccountReference& reference) const {
  Status checked = check_merchant_id(reference.merchant_id);
  if (!checked.ok()) return checked.error();
  MerchantAccount account;
  account.id = std::string(internal::id_text(kMpayAccountTemplateId));
  account.data_objects.push_back({std::string(id::kGloballyUniqueIdentifier), globally_unique_identifier_});
  account.data_objects.push_back({std::string(kMerchantIdSubfield), reference.merchant_id});
  if (reference.code_token) {
    checked = check_code_token(*reference.code_token);
    if (!checked.ok()) return checked.error();
    account.data_objects.push_back({std::string(kCodeTokenSubfield), *reference.code_token});
  }
  return account;
}

Result<MpayAccountReference> MpayAccountTemplate::read(const MerchantPresentedPayload& payload) const {
  const MerchantAccount* account = find_merchant_account(payload, globally_unique_identifier_);
  if (account == nullptr) {
    return Error(std::string(error_code::kMpayAccountMissing), "the code carries no mpay merchant account", "");
  }
  MpayAccountReference reference;
  std::optional<std::string_view> merchant_id = merchant_account_subfield(*account, kMerchantIdSubfield);
  Status checked = check_merchant_id(merchant_id.value_or(""));
  if (!checked.ok()) return checked.error();
  reference.merchant_id = std::string(*merchant_id);
  if (std::optional<std::string_view> token = merchant_account_subfield(*account, kCodeTokenSubfield)) {
    checked = check_code_token(*token);
    if (!checked.ok()) return checked.error();
    reference.code_token = std::string(*token);
  }
  return reference;
}

}  // namespace mpay::qr
