#include "payments/wallet/phone_identity.h"

#include "security/keyed_hash.h"

namespace mpay::wallet {

Result<IdentifiedPhone> identify_phone(const WalletContext& context, std::string_view text,
                                       std::string_view field) {
  Result<PhoneNumber> parsed = context.phones.parse_mobile(text);
  if (!parsed.ok()) {
    Error error = parsed.error();
    error.field = std::string(field);
    return error;
  }
  IdentifiedPhone phone;
  phone.number = std::move(parsed).value();
  phone.key_id = context.lookup_keys.current_id();
  phone.digest = security::keyed_hash(context.lookup_keys, phone.key_id, "phone", phone.number.e164);
  return phone;
}

std::string sealed_field(const UserId& user, std::string_view column) {
  return "user:" + user.to_string() + ":" + std::string(column);
}

}  // namespace mpay::wallet
