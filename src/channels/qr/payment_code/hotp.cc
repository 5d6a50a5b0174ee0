#include "channels/qr/payment_code/hotp.h"

#include <sodium.h>

#include "core/check.h"
#include "security/sodium_init.h"

namespace mpay::qr {

static_assert(std::tuple_size_v<Sha256Mac> == crypto_auth_hmacsha256_BYTES);

Sha256Mac hmac_sha256(std::string_view key, std::string_view message) {
  security::ensure_sodium_initialized();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  Sha256Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);  // the state holds the padded key
  return mac;
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
