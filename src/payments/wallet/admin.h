// What operators do to users: find them by phone (masked), freeze and unfreeze their wallets.
// Every call, found or not, allowed or not, is written to the audit log (who, what, when, from
// where) before the answer goes out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"
#include "payments/wallet/wallet_queries.h"

namespace mpay::wallet {

struct OperatorCall {
  std::string actor;  // "operator"
  std::string remote_address;
  std::string request_id;
};

inline constexpr size_t kFreezeReasonCharsMax = 200;

// Errors: phone_* (field "phone"), store_error. An unknown phone is an empty list.
Result<std::vector<Profile>> find_users_by_phone(WalletContext& context, const OperatorCall& call,
                                                 const std::string& phone);

// Errors: user_not_found, already_frozen / not_frozen, store_error.
Result<Profile> set_user_frozen(WalletContext& context, const OperatorCall& call, const UserId& user_id,
                                bool frozen, const std::optional<std::string>& reason);

}  // namespace mpay::wallet
