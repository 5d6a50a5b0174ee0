// Where the wallet service keeps its records (src/store/sqlite implements it on mpay.db).
//
// Every write is durable when it returns ok (implementations group-commit concurrent writes).
// Reads see every write that returned before them. Thread-safe; calls block.
// "Not found" is an empty optional, never an error; errors are storage failures ("store_error")
// or a broken uniqueness rule ("already_exists"); an update_* of a record that does not exist
// returns "not_found".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::wallet {

class WalletRepository {
 public:
  virtual ~WalletRepository() = default;

  // --- users ---
  virtual Status insert_user(const UserRecord& user) = 0;  // already_exists: phone or id taken
  virtual Result<std::optional<UserRecord>> find_user(const UserId& id) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_phone(const Digest& phone_digest) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_wallet(const AccountId& account) = 0;
  virtual Status update_pin(const UserId& id, uint32_t key_id, const Digest& digest) = 0;
  // Sets the failure counter and lock deadline (after a wrong PIN, or 0/0 after a right one).
  virtual Status update_pin_failures(const UserId& id, int failures, int64_t locked_until_ns) = 0;
  virtual Status update_status(const UserId& id, UserStatus status) = 0;
  virtual Status update_kyc(const UserRecord& user) = 0;  // level, name, document, birth date

  // --- one-time codes ---
  virtual Status put_otp(const OtpChallenge& challenge) = 0;  // replaces the phone+purpose one
  virtual Result<std::optional<OtpChallenge>> find_otp(const Digest& phone_digest,
                                                       const std::string& purpose) = 0;
  virtual Status update_otp(const OtpChallenge& challenge) = 0;  // attempts, consumed
  // Counts an event against `key` in a fixed window and returns the count including it.
  virtual Result<int> count_rate(const std::string& key, int64_t window_ns, int64_t now_ns) = 0;

  // --- sessions and devices ---
  virtual Status insert_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(const Digest& token_digest) = 0;
  virtual Status delete_session(const Digest& token_digest) = 0;
  virtual Status delete_sessions_of(const UserId& user) = 0;
  virtual Result<bool> device_known(const UserId& user, const Digest& device_digest) = 0;
  virtual Status add_device(const UserId& user, const Digest& device_digest, int64_t now_ns) = 0;

  // --- transfer notes ---
  virtual Status insert_note(const TransferNote& note) = 0;  // a second insert of an id is ignored
  virtual Result<std::vector<TransferNote>> find_notes(const std::vector<TransferId>& ids) = 0;

  // --- bank accounts and orders ---
  virtual Status insert_bank_account(const BankAccountRecord& account) = 0;
  virtual Result<std::vector<BankAccountRecord>> bank_accounts_of(const UserId& user) = 0;
  virtual Result<std::optional<BankAccountRecord>> find_bank_account(const Id128& id) = 0;
  virtual Status insert_bank_order(const BankOrderRecord& order) = 0;
  virtual Status update_bank_order(const BankOrderRecord& order) = 0;  // status, decline, time
  virtual Result<std::optional<BankOrderRecord>> find_bank_order(const std::string& reference) = 0;
  virtual Result<std::vector<BankOrderRecord>> pending_bank_orders() = 0;

  // --- audit (append-only, hash-chained by the implementation) ---
  virtual Status append_audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> recent_audit(size_t limit) = 0;
  // Recomputes the hash chain; "audit_chain_broken" names the first entry that does not match.
  virtual Status verify_audit_chain() = 0;
};

}  // namespace mpay::wallet
