#include "payments/merchant/merchant_directory.h"

#include <mutex>

#include "payments/merchant/credentials.h"

namespace mpay::merchant {

Result<std::unique_ptr<MerchantDirectory>> MerchantDirectory::load(MerchantRepository& repository,
                                                                   const security::Sealer& sealer) {
  std::unique_ptr<MerchantDirectory> directory(new MerchantDirectory());
  Result<std::vector<MerchantRecord>> merchants = repository.all_merchants();
  if (!merchants.ok()) return merchants.error();
  for (const MerchantRecord& merchant : *merchants) {
    Result<std::string> secret = sealer.open(merchant.webhook_secret_sealed, webhook_secret_binding(merchant.id));
    if (!secret.ok()) return secret.error();
    directory->put_merchant(merchant, std::move(*secret));
  }
  Result<std::vector<MerchantKeyRecord>> keys = repository.all_keys();
  if (!keys.ok()) return keys.error();
  for (const MerchantKeyRecord& record : *keys) {
    Result<std::string> secret = sealer.open(record.secret_sealed, key_secret_binding(record.key_id));
    if (!secret.ok()) return secret.error();
    directory->put_key(ApiKey{record.key_id, record.merchant_id, std::move(*secret), record.status,
                              record.created_at_ns, record.revoked_at_ns, record.future_reserved_until_s,
                              record.future_reserved_until_s});
  }
  return directory;
}

std::optional<MerchantRecord> MerchantDirectory::find(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.record;
}

bool MerchantDirectory::read(const MerchantId& id,
                             const std::function<void(const MerchantRecord&)>& read) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return false;
  read(found->second.record);
  return true;
}

void MerchantDirectory::read_all(const std::function<void(const MerchantRecord&)>& read) const {
  std::shared_lock lock(mutex_);
  for (const auto& [id, entry] : merchants_) read(entry.record);
}

std::optional<std::string> MerchantDirectory::webhook_url(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.record.webhook_url;
}

std::optional<std::string> MerchantDirectory::webhook_secret(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.webhook_secret;
}

std::optional<AccountId> MerchantDirectory::ledger_account(const MerchantId& id, uint16_t currency) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.record.account_in(currency);
}

std::optional<int> MerchantDirectory::fee_bps(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.record.fee_bps;
}

std::optional<MerchantStatus> MerchantDirectory::status(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return std::nullopt;
  return found->second.record.status;
}

std::optional<ApiKey> MerchantDirectory::key(std::string_view key_id) const {
  std::shared_lock lock(mutex_);
  auto found = keys_.find(std::string(key_id));
  if (found == keys_.end()) return std::nullopt;
  return found->second;
}

std::vector<ApiKey> MerchantDirectory::keys_of(const MerchantId& id) const {
  std::shared_lock lock(mutex_);
  std::vector<ApiKey> keys;
  auto found = merchants_.find(id);
  if (found == merchants_.end()) return keys;
  for (const std::string& key_id : found->second.key_ids) keys.push_back(keys_.at(key_id));
  return keys;
}

void MerchantDirectory::put_merchant(const MerchantRecord& merchant, std::string webhook_secret) {
  std::unique_lock lock(mutex_);
  Entry& entry = merchants_[merchant.id];
  entry.record = merchant;
  entry.webhook_secret = std::move(webhook_secret);
}

void MerchantDirectory::put_key(ApiKey key) {
  std::unique_lock lock(mutex_);
  auto existing = keys_.find(key.key_id);
  if (existing == keys_.end()) {
    auto merchant = merchants_.find(key.merchant_id);
    MPAY_CHECK(merchant != merchants_.end(), "a merchant key was added before its merchant");
    merchant->second.key_ids.push_back(key.key_id);
    std::string key_id = key.key_id;
    keys_.emplace(std::move(key_id), std::move(key));
    return;
  }
  existing->second = std::move(key);
}

void MerchantDirectory::raise_future_reservation(std::string_view key_id, int64_t until_s) {
  std::unique_lock lock(mutex_);
  auto found = keys_.find(std::string(key_id));
  if (found == keys_.end()) return;
  found->second.future_reserved_until_s = std::max(found->second.future_reserved_until_s, until_s);
}

}  // namespace mpay::merchant
