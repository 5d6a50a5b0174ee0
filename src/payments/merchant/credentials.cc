#include "payments/merchant/credentials.h"

#include <algorithm>
#include <array>

#include "core/check.h"

namespace mpay::merchant {
namespace {

std::string random_hex(RandomSource& random, size_t bytes) {
  std::array<unsigned char, kSecretRandomBytes> buffer{};
  MPAY_CHECK(bytes <= buffer.size(), "random_hex: too many bytes");
  random.fill(buffer.data(), bytes);
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    text.push_back(kDigits[buffer[i] >> 4]);
    text.push_back(kDigits[buffer[i] & 0xF]);
  }
  std::fill(buffer.begin(), buffer.end(), 0);
  return text;
}

}  // namespace

std::string new_key_id(RandomSource& random) { return std::string(kKeyIdPrefix) + random_hex(random, kKeyIdRandomBytes); }

std::string new_key_secret(RandomSource& random) {
  return std::string(kKeySecretPrefix) + random_hex(random, kSecretRandomBytes);
}

std::string new_webhook_secret(RandomSource& random) {
  return std::string(kWebhookSecretPrefix) + random_hex(random, kSecretRandomBytes);
}

bool is_key_id(std::string_view text) {
  if (!text.starts_with(kKeyIdPrefix) || text.size() != kKeyIdPrefix.size() + 2 * kKeyIdRandomBytes) return false;
  std::string_view hex = text.substr(kKeyIdPrefix.size());
  return std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string key_secret_binding(std::string_view key_id) { return "merchant_key:" + std::string(key_id) + ":secret"; }

std::string webhook_secret_binding(const MerchantId& merchant) {
  return "merchant:" + merchant.to_string() + ":webhook_secret";
}

std::string settlement_account_binding(const MerchantId& merchant) {
  return "merchant:" + merchant.to_string() + ":settlement_account";
}

std::string settlement_holder_binding(const MerchantId& merchant) {
  return "merchant:" + merchant.to_string() + ":settlement_holder";
}

}  // namespace mpay::merchant
