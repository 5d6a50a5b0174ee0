// The merchant side of `mpay-bench request-to-pay`: an onboarded merchant's credentials and the
// request signature of docs/merchant-api.md, computed as a merchant's client computes it (SHA-256
// of the body, HMAC-SHA256 of the canonical text). Every signed request is verified by mpayd.
#pragma once

#include <string>

#include "http_load_client.h"

namespace mpay::bench {

struct BenchMerchant {
  std::string id;
  std::string key_id;
  std::string secret;
};

// The four X-Mpay-* headers for `method target body`, with `nonce` and the current time.
HeaderList signed_headers(const BenchMerchant& merchant, const std::string& method,
                          const std::string& target, const std::string& body, const std::string& nonce);

}  // namespace mpay::bench
