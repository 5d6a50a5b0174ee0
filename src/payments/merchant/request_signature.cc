#include "payments/merchant/request_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/check.h"

namespace mpay::merchant {
namespace {

std::string to_hex(const unsigned char* bytes, size_t size) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0xF]);
  }
  return text;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  int done = EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  MPAY_CHECK(done == 1 && size == 32, "SHA-256 failed");
  return to_hex(digest, size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  unsigned char* done = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  MPAY_CHECK(done != nullptr && size == 32, "HMAC-SHA256 failed");
  std::string hex = to_hex(mac, size);
  OPENSSL_cleanse(mac, sizeof(mac));
  return hex;
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
  return hmac_sha256_hex(secret, canonical_request(method, target, timestamp, nonce, body));
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mpay::merchant
