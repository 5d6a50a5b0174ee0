#include "payments/merchant/request_signature.h"

#include <openssl/crypto.h>

#include "security/sha256.h"

namespace mpay::merchant {

std::string sha256_hex(std::string_view data) {
  return security::to_hex(security::sha256({data}));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  return security::to_hex(security::hmac_sha256(key, {message}));
}

std::string canonical_request(std::string_view method, std::string_view target, std::string_view timestamp,
                              std::string_view nonce, std::string_view body) {
  std::string canonical;
  canonical.reserve(method.size() + target.size() + timestamp.size() + nonce.size() + 4 + kSignatureHexChars);
  canonical.append(method).append("\n");
  canonical.append(target).append("\n");
  canonical.append(timestamp).append("\n");
  canonical.append(nonce).append("\n");
  canonical.append(sha256_hex(body));
  return canonical;
}

std::string sign_request(std::string_view secret, std::string_view method, std::string_view target,
                         std::string_view timestamp, std::string_view nonce, std::string_view body) {
  // The canonical string's parts, hashed as one message without being joined first.
  std::string body_hash = sha256_hex(body);
  return security::to_hex(security::hmac_sha256(
      secret, {method, "\n", target, "\n", timestamp, "\n", nonce, "\n", body_hash}));
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mpay::merchant
