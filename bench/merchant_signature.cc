#include "merchant_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <ctime>

namespace mpay::bench {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 15];
  }
  return text;
}

}  // namespace

HeaderList signed_headers(const BenchMerchant& merchant, const std::string& method,
                          const std::string& target, const std::string& body, const std::string& nonce) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  std::string timestamp = std::to_string(std::time(nullptr));
  std::string canonical = method + "\n" + target + "\n" + timestamp + "\n" + nonce + "\n" +
                          hex(digest, sizeof(digest));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), merchant.secret.data(), static_cast<int>(merchant.secret.size()),
       reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), mac, &mac_size);
  return {{"X-Mpay-Key", merchant.key_id},
          {"X-Mpay-Timestamp", timestamp},
          {"X-Mpay-Nonce", nonce},
          {"X-Mpay-Signature", hex(mac, mac_size)}};
}

}  // namespace mpay::bench
