#include "api/operator_auth.h"

#include <openssl/crypto.h>

#include "api/http_limits.h"
#include "security/sha256.h"

namespace mpay::api {
namespace {

// The server refuses a request that repeats it before it gets here (http_limits.h).
static_assert(is_single_valued_header("Authorization"));

std::array<unsigned char, 32> digest_of(std::string_view text) {
  return security::sha256({text});
}

}  // namespace

OperatorTokenAuthorizer::OperatorTokenAuthorizer(const std::string& token)
    : token_digest_(digest_of(token)) {}

std::optional<Error> OperatorTokenAuthorizer::operator()(HttpRequest& request,
                                                         const std::string& scope) const {
  if (scope != kOperatorScope) return Error("forbidden_scope", "unknown authorization scope");
  std::optional<std::string_view> header = request.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
    return Error("missing_token", "send the operator token as \"Authorization: Bearer <token>\"");
  }
  // Comparing digests keeps the comparison constant-time regardless of the token's length.
  std::array<unsigned char, 32> presented = digest_of(header->substr(kBearer.size()));
  if (CRYPTO_memcmp(presented.data(), token_digest_.data(), presented.size()) != 0) {
    return Error("invalid_token", "the operator token is not valid");
  }
  request.principal = kOperatorPrincipal;
  return std::nullopt;
}

}  // namespace mpay::api
