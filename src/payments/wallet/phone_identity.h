// A phone number as the wallet keys users by it: parsed to E.164 (mobile numbers only) and its
// keyed digest under the lookup key, the only form in which the database can find it.
#pragma once

#include <string_view>

#include "core/error.h"
#include "core/phone.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

struct IdentifiedPhone {
  PhoneNumber number;
  Digest digest{};
  uint32_t key_id = 0;
};

// Errors: core's phone_* codes with `field` set.
Result<IdentifiedPhone> identify_phone(const WalletContext& context, std::string_view text,
                                       std::string_view field);

// Associated data binding a sealed value to its user and column ("user:<uuid>:phone").
std::string sealed_field(const UserId& user, std::string_view column);

}  // namespace mpay::wallet
