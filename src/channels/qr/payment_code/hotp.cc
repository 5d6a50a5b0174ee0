#include "channels/qr/payment_code/hotp.h"

#include "core/check.h"
#include "security/sha256.h"

namespace mpay::qr {

Sha256Mac hmac_sha256(std::string_view key, std::string_view message) {
  return security::hmac_sha256(key, {message});
}

uint32_t dynamic_truncation(const Sha256Mac& mac) {
  size_t offset = mac.back() & 0x0F;  // at most 15, so offset + 3 <= 18 < 32
  return (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
         (static_cast<uint32_t>(mac[offset + 1]) << 16) |
         (static_cast<uint32_t>(mac[offset + 2]) << 8) | static_cast<uint32_t>(mac[offset + 3]);
}

uint32_t hotp_sha256(std::string_view secret, uint64_t counter, int digits) {
  MPAY_CHECK(digits >= 1 && digits <= 9, "hotp_sha256: digits must be 1 to 9");
  char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<char>(counter & 0xFF);
    counter >>= 8;
  }
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return dynamic_truncation(hmac_sha256(secret, std::string_view(message, sizeof message))) % modulus;
}

}  // namespace mpay::qr
