// The records the wallet service keeps besides the ledger: users, sessions, one-time codes, linked
// bank accounts, bank orders, transfer notes and the audit log. Plain values.
//
// Personal data never appears here in clear: phone numbers are a keyed digest (for lookup) plus an
// AEAD-sealed copy; names and document numbers are sealed. Digests are 32 bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace mpay::wallet {

using Digest = std::array<uint8_t, 32>;
using UserId = StrongId<struct UserIdTag>;

enum class KycLevel : int { phone_verified = 0, identity_checked = 1, bank_linked = 2 };
enum class UserStatus { active, frozen };

struct UserRecord {
  UserId id;
  Digest phone_digest{};
  uint32_t phone_key_id = 0;
  std::string phone_sealed;  // AEAD of the E.164 number
  AccountId wallet_account_id;
  uint16_t currency = 0;
  KycLevel kyc_level = KycLevel::phone_verified;
  UserStatus status = UserStatus::active;
  std::string full_name_sealed;        // empty until KYC
  std::string document_type;           // "mainland_id_card", ... empty until KYC
  std::string document_sealed;         // AEAD of the normalized document number
  std::string document_masked;         // safe to show
  std::string birth_date;              // "YYYY-MM-DD" when known (from the document)
  uint32_t pin_key_id = 0;
  Digest pin_digest{};
  int pin_failures = 0;
  int64_t pin_locked_until_ns = 0;
  int64_t created_at_ns = 0;
};

struct SessionRecord {
  Digest token_digest{};
  UserId user_id;
  Digest device_digest{};
  int64_t created_at_ns = 0;
  int64_t expires_at_ns = 0;
};

// One outstanding one-time code per phone and purpose ("sign_up", "login", "pin_reset").
struct OtpChallenge {
  Digest phone_digest{};
  std::string purpose;
  Digest code_digest{};
  int64_t expires_at_ns = 0;
  int attempts = 0;
  bool consumed = false;
};

struct BankAccountRecord {
  Id128 id;
  UserId user_id;
  std::string bank_code;
  std::string bank_account_token;  // the bank's opaque handle
  std::string masked_number;
  int64_t created_at_ns = 0;
};

enum class BankOrderKind { top_up, withdrawal };
enum class BankOrderStatus { pending, confirmed, declined, timed_out };

struct BankOrderRecord {
  std::string reference;  // our idempotency key with the bank; also names the ledger transfers
  BankOrderKind kind = BankOrderKind::top_up;
  UserId user_id;
  Id128 bank_account_id;
  int64_t amount_minor = 0;
  uint16_t currency = 0;
  TransferId ledger_transfer_id;  // top-up: the credit; withdrawal: the pending hold
  BankOrderStatus status = BankOrderStatus::pending;
  std::string decline_code;
  int64_t created_at_ns = 0;
  int64_t updated_at_ns = 0;
};

// What the ledger cannot say about a transfer: the payer's note (sealed). Parties, amounts and
// status come from the ledger itself (wallet accounts map to users).
struct TransferNote {
  TransferId transfer_id;
  std::string note_sealed;
};

struct AuditEntry {
  int64_t at_ns = 0;
  std::string actor;           // "operator", "user:<id>", "system"
  std::string action;          // "user.freeze", "user.unmask", ...
  std::string target;          // "user:<id>"
  std::string remote_address;
  std::string request_id;
  std::string details;         // JSON, never personal data in clear
};

}  // namespace mpay::wallet
