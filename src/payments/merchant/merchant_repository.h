// Where the merchant service keeps its records (src/store/sqlite implements it on mpay.db).
//
// Every write is durable when it returns ok. Reads see every write that returned before them.
// Thread-safe; calls block. "Not found" is an empty optional; errors are storage failures
// ("store_error", "store_busy"), a broken uniqueness rule ("already_exists"), or "not_found" for an
// update of a record that does not exist.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/error.h"
#include "payments/merchant/merchant_records.h"

namespace mpay::merchant {

class MerchantRepository {
 public:
  virtual ~MerchantRepository() = default;

  // The merchant, its accounts and its first key, in one transaction.
  virtual Status insert_merchant(const MerchantRecord& merchant, const MerchantKeyRecord& first_key) = 0;
  virtual Result<std::optional<MerchantRecord>> find_merchant(const MerchantId& id) = 0;
  // Ordered by id (UUIDv7: creation order); those after `after` (exclusive; zero = from the start).
  virtual Result<std::vector<MerchantRecord>> list_merchants(const MerchantId& after, size_t limit) = 0;
  // Every merchant and every key, to fill the in-memory directory at start.
  virtual Result<std::vector<MerchantRecord>> all_merchants() = 0;
  virtual Result<std::vector<MerchantKeyRecord>> all_keys() = 0;

  virtual Status update_status(const MerchantId& id, MerchantStatus status, int64_t now_ns) = 0;
  virtual Status update_webhook_secret(const MerchantId& id, const std::string& sealed, int64_t now_ns) = 0;

  virtual Status insert_key(const MerchantKeyRecord& key) = 0;
  virtual Status revoke_key(const std::string& key_id, int64_t now_ns) = 0;
  // Raises future_reserved_until_s (never lowers it).
  virtual Status reserve_key_future(const std::string& key_id, int64_t until_s) = 0;
};

}  // namespace mpay::merchant
