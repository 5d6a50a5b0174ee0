#include "notify/webhooks/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/check.h"

namespace mpay::notify::webhooks {

std::string signature_hex(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string message = std::to_string(unix_seconds);
  message += '.';
  message += body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  unsigned char* made = HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                             digest, &digest_size);
  MPAY_CHECK(made != nullptr && digest_size == 32, "HMAC-SHA256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned int i = 0; i < digest_size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

std::string signature_header_value(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  return "t=" + std::to_string(unix_seconds) + ",v1=" + signature_hex(secret, unix_seconds, body);
}

}  // namespace mpay::notify::webhooks
