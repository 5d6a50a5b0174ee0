#include "payments/wallet/user_directory.h"

#include <cstring>
#include <mutex>

namespace mpay::wallet {

size_t DigestHash::operator()(const Digest& digest) const {
  size_t value = 0;  // the digest is already uniformly random: any 8 bytes of it will do
  std::memcpy(&value, digest.data(), sizeof(value));
  return value;
}

void UserDirectory::forget(const UserId& id) {
  std::unique_lock lock(mutex_);
  by_id_.erase(id.value());  // the indexes point at ids only: by_* re-reads on the next miss
  absl::erase_if(by_phone_, [&](const auto& entry) { return entry.second == id.value(); });
  absl::erase_if(by_wallet_, [&](const auto& entry) { return entry.second == id.value(); });
}

void UserDirectory::put(const UserRecord& user) {
  std::unique_lock lock(mutex_);
  by_id_[user.id.value()] = user;
  by_phone_[user.phone_digest] = user.id.value();
  by_wallet_[user.wallet_account_id.value()] = user.id.value();
}

Result<std::optional<UserRecord>> UserDirectory::remember(Result<std::optional<UserRecord>> loaded) {
  if (loaded.ok() && loaded->has_value()) put(**loaded);
  return loaded;
}

Result<std::optional<UserRecord>> UserDirectory::by_id(const UserId& id) {
  {
    std::shared_lock lock(mutex_);
    auto found = by_id_.find(id.value());
    if (found != by_id_.end()) return std::optional<UserRecord>(found->second);
  }
  return remember(repository_.find_user(id));
}

Result<std::optional<UserRecord>> UserDirectory::by_phone(const Digest& phone_digest) {
  {
    std::shared_lock lock(mutex_);
    auto found = by_phone_.find(phone_digest);
    if (found != by_phone_.end()) return std::optional<UserRecord>(by_id_.at(found->second));
  }
  return remember(repository_.find_user_by_phone(phone_digest));
}

std::optional<UserRecord> UserDirectory::cached(const UserId& id) {
  std::shared_lock lock(mutex_);
  auto found = by_id_.find(id.value());
  if (found == by_id_.end()) return std::nullopt;
  return found->second;
}

std::optional<UserRecord> UserDirectory::cached_by_phone(const Digest& phone_digest) {
  std::shared_lock lock(mutex_);
  auto found = by_phone_.find(phone_digest);
  if (found == by_phone_.end()) return std::nullopt;
  return by_id_.at(found->second);
}

Result<std::optional<UserRecord>> UserDirectory::by_wallet(const AccountId& account) {
  {
    std::shared_lock lock(mutex_);
    auto found = by_wallet_.find(account.value());
    if (found != by_wallet_.end()) return std::optional<UserRecord>(by_id_.at(found->second));
  }
  return remember(repository_.find_user_by_wallet(account));
}

Status UserDirectory::insert(const UserRecord& user) {
  Status stored = repository_.insert_user(user);
  if (stored.ok()) put(user);
  return stored;
}

Status UserDirectory::update_pin(const UserRecord& user) {
  Status stored = repository_.update_pin(user.id, user.pin_key_id, user.pin_digest);
  if (!stored.ok()) {
    forget(user.id);
    return stored;
  }
  stored = repository_.update_pin_failures(user.id, user.pin_failures, user.pin_locked_until_ns);
  stored.ok() ? put(user) : forget(user.id);
  return stored;
}

Status UserDirectory::update_pin_failures(const UserRecord& user) {
  Status stored = repository_.update_pin_failures(user.id, user.pin_failures, user.pin_locked_until_ns);
  stored.ok() ? put(user) : forget(user.id);
  return stored;
}

Status UserDirectory::update_status(const UserRecord& user) {
  Status stored = repository_.update_status(user.id, user.status);
  stored.ok() ? put(user) : forget(user.id);
  return stored;
}

Status UserDirectory::update_kyc(const UserRecord& user) {
  Status stored = repository_.update_kyc(user);
  stored.ok() ? put(user) : forget(user.id);
  return stored;
}

}  // namespace mpay::wallet
