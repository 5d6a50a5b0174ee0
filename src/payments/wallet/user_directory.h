// The users the wallet service works with, read through an in-memory cache in front of the
// repository: a payment looks up its payer and payee by id, phone digest or wallet account
// without touching the database once they were seen. Every change goes to the repository first
// (durable) and then to the cache, so the cache never shows what the database does not hold;
// after a failed write the cached copy is dropped and re-read.
//
// Writers of one user must be serialized by the caller (UserLocks); readers may run anytime.
// Thread-safe. The cache grows with the users seen since start (about 1 KiB each).
#pragma once

#include <optional>
#include <shared_mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "core/error.h"
#include "core/ids.h"
#include "payments/wallet/wallet_records.h"
#include "payments/wallet/wallet_repository.h"

namespace mpay::wallet {

struct DigestHash {
  size_t operator()(const Digest& digest) const;
};

class UserDirectory {
 public:
  explicit UserDirectory(WalletRepository& repository) : repository_(repository) {}

  Result<std::optional<UserRecord>> by_id(const UserId& id);
  Result<std::optional<UserRecord>> by_phone(const Digest& phone_digest);
  Result<std::optional<UserRecord>> by_wallet(const AccountId& account);
  // The cached copy only, never the database: for callers that must not block (an I/O thread
  // deciding whether a request can be served without the store).
  std::optional<UserRecord> cached(const UserId& id);
  std::optional<UserRecord> cached_by_phone(const Digest& phone_digest);

  // already_exists when the phone is taken.
  Status insert(const UserRecord& user);
  // Replaces the stored user with `user` field by field (PIN, failures, status, KYC).
  Status update_pin(const UserRecord& user);
  Status update_pin_failures(const UserRecord& user);
  Status update_status(const UserRecord& user);
  Status update_kyc(const UserRecord& user);

 private:
  Result<std::optional<UserRecord>> remember(Result<std::optional<UserRecord>> loaded);
  void put(const UserRecord& user);
  // After a failed update the database may or may not hold it: drop the cached copy.
  void forget(const UserId& id);

  WalletRepository& repository_;
  std::shared_mutex mutex_;
  // Open addressing (abseil): one probe per lookup, and every payment looks up two users. Users
  // stay in nodes (about 1 KiB each), so that growing moves pointers, not records.
  absl::node_hash_map<Id128, UserRecord, Id128Hash> by_id_;
  absl::flat_hash_map<Digest, Id128, DigestHash> by_phone_;
  absl::flat_hash_map<Id128, Id128, Id128Hash> by_wallet_;
};

}  // namespace mpay::wallet
