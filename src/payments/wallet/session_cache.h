// Sessions by token digest: the repository is the truth (sessions survive a restart), a bounded
// in-memory map answers the lookup every authenticated request makes. Revocation removes from
// both before it returns, so a logged-out token never works again, not even from the cache.
// Thread-safe.
#pragma once

#include <mutex>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "core/error.h"
#include "payments/wallet/user_directory.h"
#include "payments/wallet/wallet_records.h"
#include "payments/wallet/wallet_repository.h"

namespace mpay::wallet {

class SessionCache {
 public:
  static constexpr size_t kEntriesMax = 1 << 20;  // beyond it the cache starts over (a reload each)

  explicit SessionCache(WalletRepository& repository) : repository_(repository) {}

  Status insert(const SessionRecord& session);
  // The session, whether expired or not (the caller decides), or nullopt.
  Result<std::optional<SessionRecord>> find(const Digest& token_digest);
  Status remove(const Digest& token_digest);
  Status remove_all_of(const UserId& user);

 private:
  WalletRepository& repository_;
  std::mutex mutex_;
  absl::flat_hash_map<Digest, SessionRecord, DigestHash> sessions_;  // one probe per lookup
};

}  // namespace mpay::wallet
