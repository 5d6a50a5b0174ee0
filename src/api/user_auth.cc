#include "api/user_auth.h"

#include "payments/wallet/access.h"

namespace mpay::api {

std::optional<std::string> bearer_token(const HttpRequest& request) {
  std::optional<std::string_view> header = request.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
    return std::nullopt;
  }
  return std::string(header->substr(kBearer.size()));
}

std::optional<wallet::UserId> user_of(const HttpRequest& request) {
  if (!request.principal.starts_with(kUserPrincipalPrefix)) return std::nullopt;
  std::optional<Id128> id = parse_uuid_text(std::string_view(request.principal).substr(kUserPrincipalPrefix.size()));
  if (!id) return std::nullopt;
  return wallet::UserId(*id);
}

wallet::UserId user_caller(const HttpRequest& request) {
  std::optional<wallet::UserId> user = user_of(request);
  MPAY_CHECK(user.has_value(), "a user route ran without an authenticated user");
  return *user;
}

std::optional<Error> CallerAuthorizer::operator()(HttpRequest& request, const std::string& scope) {
  if (scope == kOperatorScope) return operators_(request, scope);
  if (scope == kMerchantScope && merchants_ != nullptr) return (*merchants_)(request);
  if (scope != kUserScope) return Error("forbidden_scope", "unknown authorization scope");
  std::optional<std::string> token = bearer_token(request);
  if (!token) {
    return Error("missing_token", "log in (POST /v1/sessions) and send \"Authorization: Bearer <token>\"");
  }
  Result<wallet::UserId> user = wallet::authenticate(wallet_, *token);
  if (!user.ok()) return user.error();
  request.principal = std::string(kUserPrincipalPrefix) + user->to_string();
  return std::nullopt;
}

}  // namespace mpay::api
