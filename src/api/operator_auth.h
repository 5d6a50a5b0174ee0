// Operator authentication for the API: "Authorization: Bearer <token>" checked against the
// operator token (created by mpayd on first start, kept in DATA/operator-token, mode 0600).
//
// Only a SHA-256 digest of the token is kept in memory and compared in constant time. Errors:
// 401 "missing_token" (no or malformed Authorization header), 401 "invalid_token".
// Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "api/http_message.h"
#include "core/error.h"

namespace mpay::api {

inline constexpr const char* kOperatorScope = "operator";
inline constexpr const char* kOperatorPrincipal = "operator";

class OperatorTokenAuthorizer {
 public:
  explicit OperatorTokenAuthorizer(const std::string& token);
  // For HttpServer's Authorize callback; on success sets request.principal to kOperatorPrincipal.
  std::optional<Error> operator()(HttpRequest& request, const std::string& scope) const;

 private:
  std::array<unsigned char, 32> token_digest_;
};

}  // namespace mpay::api
