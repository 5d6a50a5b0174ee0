#include "merchant_signature.h"

#include <ctime>

#include "security/sha256.h"

namespace mpay::bench {

// Computed from the scheme's text (docs/merchant-api.md) rather than with mpayd's own
// sign_request, so that the server checks a signature it did not make itself; the hashes are the
// product's (security/sha256.h), as the client's share of the two cores should be what a
// careful client spends.
HeaderList signed_headers(const BenchMerchant& merchant, const std::string& method,
                          const std::string& target, const std::string& body,
                          const std::string& nonce) {
  std::string timestamp = std::to_string(std::time(nullptr));
  std::string body_hash = security::to_hex(security::sha256({body}));
  std::string signature = security::to_hex(security::hmac_sha256(
      merchant.secret, {method, "\n", target, "\n", timestamp, "\n", nonce, "\n", body_hash}));
  return {{"X-Mpay-Key", merchant.key_id},
          {"X-Mpay-Timestamp", timestamp},
          {"X-Mpay-Nonce", nonce},
          {"X-Mpay-Signature", signature}};
}

}  // namespace mpay::bench
