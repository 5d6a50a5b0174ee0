// A merchant's secrets: API keys (a public key id and a secret shown once) and the webhook
// signing secret, their shapes, and the associated data that binds each sealed copy to its row.
//
//   key id          "mk_"    + 24 lower-case hex characters (96 random bits; public, like a user name)
//   key secret      "msk_"   + 64 lower-case hex characters (256 random bits)
//   webhook secret  "whsec_" + 64 lower-case hex characters (256 random bits)
//
// The HMAC key of a signature is the secret text exactly as shown, prefix included (docs/merchant-api.md).
// Secrets are handed to the operator once, sealed at rest (security/sealer.h, key purpose "pii"),
// and never logged. Pass SystemRandom in production. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"
#include "payments/merchant/merchant_records.h"

namespace mpay::merchant {

inline constexpr std::string_view kKeyIdPrefix = "mk_";
inline constexpr std::string_view kKeySecretPrefix = "msk_";
inline constexpr std::string_view kWebhookSecretPrefix = "whsec_";
inline constexpr size_t kKeyIdRandomBytes = 12;
inline constexpr size_t kSecretRandomBytes = 32;

std::string new_key_id(RandomSource& random);
std::string new_key_secret(RandomSource& random);
std::string new_webhook_secret(RandomSource& random);

// True when `text` has the shape of a key id (so a path parameter can be refused early).
bool is_key_id(std::string_view text);

// Associated data for Sealer::seal/open.
std::string key_secret_binding(std::string_view key_id);
std::string webhook_secret_binding(const MerchantId& merchant);
std::string settlement_account_binding(const MerchantId& merchant);
std::string settlement_holder_binding(const MerchantId& merchant);

}  // namespace mpay::merchant
