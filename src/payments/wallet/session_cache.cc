#include "payments/wallet/session_cache.h"

namespace mpay::wallet {

Status SessionCache::insert(const SessionRecord& session) {
  Status stored = repository_.insert_session(session);
  if (!stored.ok()) return stored;
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kEntriesMax) sessions_.clear();
  sessions_[session.token_digest] = session;
  return ok_status();
}

Result<std::optional<SessionRecord>> SessionCache::find(const Digest& token_digest) {
  {
    std::lock_guard lock(mutex_);
    auto found = sessions_.find(token_digest);
    if (found != sessions_.end()) return std::optional<SessionRecord>(found->second);
  }
  // Loaded under the lock: a remove() that deletes the row meanwhile erases after this insert,
  // never before it, so a revoked session cannot come back into the cache.
  std::lock_guard lock(mutex_);
  auto loaded = repository_.find_session(token_digest);
  if (loaded.ok() && loaded->has_value()) {
    if (sessions_.size() >= kEntriesMax) sessions_.clear();
    sessions_[token_digest] = **loaded;
  }
  return loaded;
}

Status SessionCache::remove(const Digest& token_digest) {
  Status deleted = repository_.delete_session(token_digest);
  std::lock_guard lock(mutex_);
  sessions_.erase(token_digest);
  return deleted;
}

Status SessionCache::remove_all_of(const UserId& user) {
  Status deleted = repository_.delete_sessions_of(user);
  std::lock_guard lock(mutex_);
  absl::erase_if(sessions_, [&](const auto& entry) { return entry.second.user_id == user; });
  return deleted;
}

}  // namespace mpay::wallet
