// The records the merchant service keeps besides the ledger: merchants (MASPs) and their API keys.
// Plain values.
//
// Secrets never appear here in clear: API key secrets, the webhook signing secret and the
// settlement account number are AEAD-sealed (security/sealer.h) with associated data that names
// their row and column (credentials.h), so a sealed value copied elsewhere does not open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace mpay::merchant {

using MerchantId = StrongId<struct MerchantIdTag>;

enum class MerchantStatus { active, suspended };
enum class KeyStatus { active, revoked };

// One ledger account per currency the merchant accepts (AccountKind::merchant).
struct MerchantAccount {
  uint16_t currency = 0;  // ISO 4217 numeric
  AccountId account_id;
};

struct MerchantRecord {
  MerchantId id;  // UUIDv7
  std::string legal_name;
  std::string display_name;
  std::string mcc;      // 4 digits, ISO 18245
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::string city;
  int fee_bps = 0;      // 0..10000
  std::string settlement_bank_code;
  std::string settlement_account_sealed;  // AEAD of the account number
  std::string settlement_account_masked;  // "6222 **** **** 1234"
  std::string settlement_holder_sealed;   // AEAD of the holder name as the bank compares it
  std::string settlement_holder_masked;   // identity::mask_name of it
  std::string webhook_url;
  std::string webhook_secret_sealed;      // AEAD of "whsec_..."
  MerchantStatus status = MerchantStatus::active;
  std::vector<MerchantAccount> accounts;  // at least one; sorted by currency
  int64_t created_at_ns = 0;
  int64_t updated_at_ns = 0;

  // The merchant's account in that currency; nullopt when it does not accept it.
  std::optional<AccountId> account_in(uint16_t currency) const {
    for (const MerchantAccount& account : accounts) {
      if (account.currency == currency) return account.account_id;
    }
    return std::nullopt;
  }
};

struct MerchantKeyRecord {
  std::string key_id;  // "mk_..."
  MerchantId merchant_id;
  std::string secret_sealed;  // AEAD of "msk_..."
  KeyStatus status = KeyStatus::active;
  int64_t created_at_ns = 0;
  int64_t revoked_at_ns = 0;  // 0 while active
  // Replay protection across restarts (nonce_memory.h, request_verifier.h): every timestamp this
  // key has had accepted ahead of the server's clock is <= this (Unix seconds).
  int64_t future_reserved_until_s = 0;
};

}  // namespace mpay::merchant
