#include "api/merchant_auth.h"

#include "api/http_limits.h"

namespace mpay::api {

// The server refuses a request that repeats any of these before it gets here (http_limits.h).
static_assert(is_single_valued_header(merchant::kKeyHeader));
static_assert(is_single_valued_header(merchant::kTimestampHeader));
static_assert(is_single_valued_header(merchant::kNonceHeader));
static_assert(is_single_valued_header(merchant::kSignatureHeader));

std::optional<Error> MerchantAuthorizer::operator()(HttpRequest& request) const {
  merchant::SignedRequest signed_request;
  boost::beast::string_view method = boost::beast::http::to_string(request.method);
  signed_request.method = std::string_view(method.data(), method.size());
  signed_request.target = request.target;
  signed_request.body = request.body;
  signed_request.key_id = request.header(merchant::kKeyHeader);
  signed_request.timestamp = request.header(merchant::kTimestampHeader);
  signed_request.nonce = request.header(merchant::kNonceHeader);
  signed_request.signature = request.header(merchant::kSignatureHeader);
  Result<merchant::MerchantId> merchant = verifier_.verify(signed_request);
  if (!merchant.ok()) return merchant.error();
  request.principal = std::string(kMerchantPrincipalPrefix) + merchant->to_string();
  return std::nullopt;
}

std::optional<merchant::MerchantId> merchant_of(const HttpRequest& request) {
  if (!request.principal.starts_with(kMerchantPrincipalPrefix)) return std::nullopt;
  std::optional<Id128> id = parse_uuid_text(std::string_view(request.principal).substr(kMerchantPrincipalPrefix.size()));
  if (!id) return std::nullopt;
  return merchant::MerchantId(*id);
}

merchant::MerchantId merchant_caller(const HttpRequest& request) {
  std::optional<merchant::MerchantId> merchant = merchant_of(request);
  MPAY_CHECK(merchant.has_value(), "a merchant route ran without a verified merchant");
  return *merchant;
}

}  // namespace mpay::api
