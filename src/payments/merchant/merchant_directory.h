// The merchants and their API keys in memory, so that checking a signature or answering "what is
// this merchant's ledger account" costs no database read. The repository stays the truth: the
// directory is filled from it at start, and every command writes the repository first (durably)
// and the directory after.
//
// What other modules call (payment requests, the webhook sender):
//   find(id)                        the merchant's record (secrets sealed, as stored)
//   read(id, fn)                    the same record, read in place under the lock (no copy)
//   webhook_url(id), webhook_secret(id)   where to send webhooks and the "whsec_..." to sign them
//   ledger_account(id, currency)    the merchant's account in that ISO 4217 numeric currency
//   fee_bps(id)                     the fee rate in basis points
// Each returns nullopt (read: false) for an unknown merchant (or a currency it does not accept).
//
// Secrets (API key secrets, webhook secrets) are held unsealed here, in ordinary memory, for the
// life of the process; they are never logged. Thread-safe: a shared mutex, readers in parallel.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "payments/merchant/merchant_records.h"
#include "payments/merchant/merchant_repository.h"
#include "security/sealer.h"

namespace mpay::merchant {

// What the signature check needs of one key.
struct ApiKey {
  std::string key_id;
  MerchantId merchant_id;
  std::string secret;  // "msk_..."; never log it
  KeyStatus status = KeyStatus::active;
  int64_t created_at_ns = 0;
  int64_t revoked_at_ns = 0;
  // future_reserved_until_s as loaded at start: timestamps up to it may have been accepted by an
  // earlier process. Fixed for the life of this process.
  int64_t restart_floor_s = 0;
  // The reservation as it now stands (raised durably by the verifier).
  int64_t future_reserved_until_s = 0;
};

class MerchantDirectory {
 public:
  MerchantDirectory() = default;  // empty (tests, or a first start)
  // Reads every merchant and key and opens their secrets. Errors: the repository's, or the
  // sealer's (sealed_data_*: a key file is missing or mpay.db was tampered with).
  static Result<std::unique_ptr<MerchantDirectory>> load(MerchantRepository& repository,
                                                         const security::Sealer& sealer);

  std::optional<MerchantRecord> find(const MerchantId& id) const;
  // Runs `read` on the merchant's record under the directory's lock instead of copying it (the
  // payment path reads a few fields of it several times per payment); false when there is no such
  // merchant. `read` must be short and must not call back into the directory.
  bool read(const MerchantId& id, const std::function<void(const MerchantRecord&)>& read) const;
  // Runs `read` on every merchant's record, in no particular order, under the directory's lock
  // (start-up checks; `read` must be short and must not call back into the directory).
  void read_all(const std::function<void(const MerchantRecord&)>& read) const;
  std::optional<std::string> webhook_url(const MerchantId& id) const;
  std::optional<std::string> webhook_secret(const MerchantId& id) const;
  std::optional<AccountId> ledger_account(const MerchantId& id, uint16_t currency) const;
  std::optional<int> fee_bps(const MerchantId& id) const;
  std::optional<MerchantStatus> status(const MerchantId& id) const;

  std::optional<ApiKey> key(std::string_view key_id) const;
  // The merchant's keys, oldest first (secrets included: callers show only ids and status).
  std::vector<ApiKey> keys_of(const MerchantId& id) const;

  // After the repository has the change.
  void put_merchant(const MerchantRecord& merchant, std::string webhook_secret);
  void put_key(ApiKey key);
  void raise_future_reservation(std::string_view key_id, int64_t until_s);

 private:
  struct Entry {
    MerchantRecord record;
    std::string webhook_secret;
    std::vector<std::string> key_ids;  // oldest first
  };

  mutable std::shared_mutex mutex_;
  std::unordered_map<MerchantId, Entry, Id128Hash> merchants_;
  std::unordered_map<std::string, ApiKey> keys_;
};

}  // namespace mpay::merchant
