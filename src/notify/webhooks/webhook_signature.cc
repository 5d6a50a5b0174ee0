#include "notify/webhooks/webhook_signature.h"

#include "security/sha256.h"

namespace mpay::notify::webhooks {

std::string signature_hex(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  // The parts are hashed as one message, so the body is not copied behind its prefix.
  std::string seconds = std::to_string(unix_seconds);
  return security::to_hex(security::hmac_sha256(secret, {seconds, ".", body}));
}

std::string signature_header_value(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  return "t=" + std::to_string(unix_seconds) + ",v1=" + signature_hex(secret, unix_seconds, body);
}

}  // namespace mpay::notify::webhooks
