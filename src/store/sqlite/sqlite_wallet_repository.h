// WalletRepository on SQLite: the wallet service's records in DATA/mpay.db (tables users,
// otp_challenges, rate_counters, sessions, devices, transfer_notes, bank_accounts, bank_orders,
// audit_log; schema version 2 of the main migrations; version 3 is the merchants', see
// sqlite_merchant_repository.h).
//
// Writes go through one GroupCommitWriter: concurrent callers share a transaction and so one
// fsync (WAL, synchronous=FULL: mpay.db holds acknowledged state), and each call returns only
// once its write is durable. Reads borrow one of a few read-only connections; in WAL mode they
// run alongside the writer and see every write that returned before them.
//
// Thread-safe; calls block. Errors: "store_error" (SQLite failed; the message says how),
// "already_exists" (a uniqueness rule; `field` names the column when it can tell), "not_found"
// (an update of a record that does not exist), "audit_chain_broken" (verify_audit_chain).
//
// The audit log is a hash chain: each row stores prev_hash (the previous row's hash, 32 zero
// bytes for the first) and hash = SHA-256 over a canonical encoding of (seq, the entry's fields,
// prev_hash); see audit_hash() in the .cc. Rows are only ever appended.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "payments/wallet/wallet_repository.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class SqliteWalletRepository final : public wallet::WalletRepository {
 public:
  static constexpr size_t kReaderConnections = 4;
  static constexpr size_t kRecentAuditMax = 1000;  // recent_audit() returns at most this many
  static constexpr size_t kFindNotesMax = 1000;    // find_notes() looks up at most this many ids
  static constexpr uint64_t kRateSweepEvery = 256;  // count_rate() calls between global sweeps

  // Creates the directory and DATA/mpay.db if needed and applies the main migrations. `clock`
  // stamps the migrations and must outlive the repository.
  static Result<std::unique_ptr<SqliteWalletRepository>> open(const std::string& data_directory,
                                                              Clock& clock);
  ~SqliteWalletRepository() override;  // waits for writes already queued

  Status insert_user(const wallet::UserRecord& user) override;
  Result<std::optional<wallet::UserRecord>> find_user(const wallet::UserId& id) override;
  Result<std::optional<wallet::UserRecord>> find_user_by_phone(
      const wallet::Digest& phone_digest) override;
  Result<std::optional<wallet::UserRecord>> find_user_by_wallet(const AccountId& account) override;
  Status update_pin(const wallet::UserId& id, uint32_t key_id, const wallet::Digest& digest) override;
  Status update_pin_failures(const wallet::UserId& id, int failures,
                             int64_t locked_until_ns) override;
  Status update_status(const wallet::UserId& id, wallet::UserStatus status) override;
  Status update_kyc(const wallet::UserRecord& user) override;

  Status put_otp(const wallet::OtpChallenge& challenge) override;
  Result<std::optional<wallet::OtpChallenge>> find_otp(const wallet::Digest& phone_digest,
                                                       const std::string& purpose) override;
  Status update_otp(const wallet::OtpChallenge& challenge) override;
  // Fixed windows [floor(now/window)*window, +window). Each call also deletes this key's older
  // windows; every kRateSweepEvery calls, expired windows of all keys go too.
  Result<int> count_rate(const std::string& key, int64_t window_ns, int64_t now_ns) override;

  Status insert_session(const wallet::SessionRecord& session) override;
  Result<std::optional<wallet::SessionRecord>> find_session(
      const wallet::Digest& token_digest) override;
  Status delete_session(const wallet::Digest& token_digest) override;  // absent: ok
  Status delete_sessions_of(const wallet::UserId& user) override;
  Result<bool> device_known(const wallet::UserId& user, const wallet::Digest& device_digest) override;
  // Adding a known device is ok and keeps its first-seen time.
  Status add_device(const wallet::UserId& user, const wallet::Digest& device_digest,
                    int64_t now_ns) override;

  Status insert_note(const wallet::TransferNote& note) override;
  // The notes that exist, in the order of `ids` (at most kFindNotesMax ids are looked up).
  Result<std::vector<wallet::TransferNote>> find_notes(const std::vector<TransferId>& ids) override;

  Status insert_bank_account(const wallet::BankAccountRecord& account) override;
  // Oldest first.
  Result<std::vector<wallet::BankAccountRecord>> bank_accounts_of(const wallet::UserId& user) override;
  Result<std::optional<wallet::BankAccountRecord>> find_bank_account(const Id128& id) override;
  Status insert_bank_order(const wallet::BankOrderRecord& order) override;
  Status update_bank_order(const wallet::BankOrderRecord& order) override;
  Result<std::optional<wallet::BankOrderRecord>> find_bank_order(const std::string& reference) override;
  // Oldest first.
  Result<std::vector<wallet::BankOrderRecord>> pending_bank_orders() override;

  Status append_audit(const wallet::AuditEntry& entry) override;
  // Newest first, at most min(limit, kRecentAuditMax).
  Result<std::vector<wallet::AuditEntry>> recent_audit(size_t limit) override;
  Status verify_audit_chain() override;

  // The one writer of mpay.db: other repositories on the same file (payment requests) hand their
  // writes to it, so that every write to mpay.db shares its group commits.
  GroupCommitWriter& writer() { return *writer_; }

 private:
  using ReaderLease = ReaderPool::Lease;

  SqliteWalletRepository() = default;
  ReaderLease borrow_reader() { return readers_.borrow(); }

  ReaderPool readers_;
  std::atomic<uint64_t> rate_calls_{0};
  std::unique_ptr<GroupCommitWriter> writer_;  // last: destroyed first, draining its queue
};

}  // namespace mpay::store::sqlite
