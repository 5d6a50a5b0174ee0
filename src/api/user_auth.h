// The server's authorize callback for the two kinds of callers: "user" routes take a session
// token (Authorization: Bearer, from POST /v1/sessions) and name the caller "user:<uuid>";
// "operator" routes take the operator token (operator_auth.h); "merchant" routes a request
// signature (merchant_auth.h), when mpayd passes a MerchantAuthorizer.
#pragma once

#include <optional>
#include <string>

#include "api/http_message.h"
#include "api/merchant_auth.h"
#include "api/operator_auth.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::api {

inline constexpr std::string_view kUserScope = "user";
inline constexpr std::string_view kUserPrincipalPrefix = "user:";

class CallerAuthorizer {
 public:
  CallerAuthorizer(OperatorTokenAuthorizer& operators, wallet::WalletContext& wallet,
                   const MerchantAuthorizer* merchants = nullptr)
      : operators_(operators), wallet_(wallet), merchants_(merchants) {}

  std::optional<Error> operator()(HttpRequest& request, const std::string& scope);

 private:
  OperatorTokenAuthorizer& operators_;
  wallet::WalletContext& wallet_;
  const MerchantAuthorizer* merchants_;  // null: scope "merchant" is refused
};

// The bearer token of the request, or nullopt (no header, another scheme).
std::optional<std::string> bearer_token(const HttpRequest& request);

// The user a "user:<uuid>" principal names (set by CallerAuthorizer).
std::optional<wallet::UserId> user_of(const HttpRequest& request);
// The same inside a handler of a "user" route, where the authorizer has run: a request without a
// user there is a programmer error (MPAY_CHECK).
wallet::UserId user_caller(const HttpRequest& request);

}  // namespace mpay::api
