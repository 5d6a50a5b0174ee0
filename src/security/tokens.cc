#include "security/tokens.h"

#include <sodium.h>

#include <vector>

#include "core/check.h"
#include "security/sodium_init.h"

namespace mpay::security {
namespace {

constexpr std::string_view kTokenDomain = "token";
constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

std::string random_token(RandomSource& random, size_t bytes) {
  ensure_sodium_initialized();
  MPAY_CHECK(bytes >= kTokenBytesMin && bytes <= kTokenBytesMax, "token size out of range");
  std::vector<unsigned char> raw(bytes);
  random.fill(raw.data(), raw.size());
  // sodium_base64_ENCODED_LEN counts the terminating NUL.
  std::string token(sodium_base64_ENCODED_LEN(bytes, kBase64Variant), '\0');
  sodium_bin2base64(token.data(), token.size(), raw.data(), raw.size(), kBase64Variant);
  sodium_memzero(raw.data(), raw.size());
  token.resize(token.size() - 1);
  return token;
}

Digest token_digest(const KeyRing& token_keys, std::string_view token) {
  return keyed_hash(token_keys, token_keys.current_id(), kTokenDomain, token);
}

}  // namespace mpay::security
