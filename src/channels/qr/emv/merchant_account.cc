#include "channels/qr/emv/merchant_account.h"

#include "channels/qr/emv/character_rules_internal.h"

namespace mpay::qr {

std::optional<std::string_view> merchant_account_subfield(const MerchantAccount& account,
                                                          std::string_view subfield_id) {
  for (const DataObject& object : account.data_objects) {
    if (object.id == subfield_id) return std::string_view(object.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> globally_unique_identifier(const MerchantAccount& account) {
  return merchant_account_subfield(account, id::kGloballyUniqueIdentifier);
}

const MerchantAccount* find_merchant_account(const MerchantPresentedPayload& payload,
                                             std::string_view globally_unique_identifier_wanted) {
  for (const MerchantAccount& account : payload.merchant_accounts) {
    std::optional<std::string_view> identifier = globally_unique_identifier(account);
    if (identifier && internal::equal_ignoring_ascii_case(*identifier, globally_unique_identifier_wanted)) {
      return &account;
    }
  }
  return nullptr;
}

}  // namespace mpay::qr
