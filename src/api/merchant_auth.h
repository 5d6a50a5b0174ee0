// Authentication of merchants' API calls: routes of scope "merchant" carry the four signature
// headers (X-Mpay-Key, X-Mpay-Timestamp, X-Mpay-Nonce, X-Mpay-Signature; docs/merchant-api.md),
// checked by merchant::RequestVerifier before the handler runs, so nothing of a refused request is
// processed. On success the principal is "merchant:<uuid>" (Idempotency-Key records are scoped
// by it). Failures are 401 with the verifier's codes (request_verifier.h); merchant_suspended is
// 401 too (the credentials no longer open the API); store_busy / store_error are 503.
// Thread-safe (called from the HTTP threads).
#pragma once

#include <optional>
#include <string_view>

#include "api/http_message.h"
#include "payments/merchant/merchant_records.h"
#include "payments/merchant/request_verifier.h"

namespace mpay::api {

inline constexpr std::string_view kMerchantScope = "merchant";
inline constexpr std::string_view kMerchantPrincipalPrefix = "merchant:";

class MerchantAuthorizer {
 public:
  explicit MerchantAuthorizer(merchant::RequestVerifier& verifier) : verifier_(verifier) {}
  std::optional<Error> operator()(HttpRequest& request) const;

 private:
  merchant::RequestVerifier& verifier_;
};

// The merchant a "merchant:<uuid>" principal names (set by MerchantAuthorizer).
std::optional<merchant::MerchantId> merchant_of(const HttpRequest& request);
// The same inside a handler of a "merchant" route, where the authorizer has run: a request without
// a merchant there is a programmer error (MPAY_CHECK).
merchant::MerchantId merchant_caller(const HttpRequest& request);

}  // namespace mpay::api
