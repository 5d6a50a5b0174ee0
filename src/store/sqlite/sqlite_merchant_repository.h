// MerchantRepository on SQLite: the merchant service's records in DATA/mpay.db (tables merchants,
// merchant_accounts, merchant_keys; schema version 3 of the main migrations).
//
// Writes go through a GroupCommitWriter of its own (WAL, synchronous=FULL): each call returns once
// its write is durable. Writes are rare (operator actions, and a key's future-timestamp reservation
// at most every 30 s), so one connection for reads behind a mutex is enough; the request path
// reads the in-memory MerchantDirectory, never this.
//
// Thread-safe; calls block. Errors: "store_error" (SQLite failed; the message says how),
// "store_busy", "already_exists", "not_found" (an update of a record that does not exist).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "payments/merchant/merchant_repository.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class SqliteMerchantRepository final : public merchant::MerchantRepository {
 public:
  // Creates the directory and DATA/mpay.db if needed and applies the main migrations.
  static Result<std::unique_ptr<SqliteMerchantRepository>> open(const std::string& data_directory, Clock& clock);
  ~SqliteMerchantRepository() override;  // waits for writes already queued

  Status insert_merchant(const merchant::MerchantRecord& merchant,
                         const merchant::MerchantKeyRecord& first_key) override;
  Result<std::optional<merchant::MerchantRecord>> find_merchant(const merchant::MerchantId& id) override;
  Result<std::vector<merchant::MerchantRecord>> list_merchants(const merchant::MerchantId& after,
                                                               size_t limit) override;
  Result<std::vector<merchant::MerchantRecord>> all_merchants() override;
  Result<std::vector<merchant::MerchantKeyRecord>> all_keys() override;  // oldest first
  Status update_status(const merchant::MerchantId& id, merchant::MerchantStatus status, int64_t now_ns) override;
  Status update_webhook_secret(const merchant::MerchantId& id, const std::string& sealed, int64_t now_ns) override;
  Status insert_key(const merchant::MerchantKeyRecord& key) override;
  Status revoke_key(const std::string& key_id, int64_t now_ns) override;
  Status reserve_key_future(const std::string& key_id, int64_t until_s) override;

 private:
  SqliteMerchantRepository() = default;
  Result<std::vector<merchant::MerchantRecord>> select_merchants(const std::string& where_and_order,
                                                                 const merchant::MerchantId* after, int64_t limit);
  Status read_accounts(merchant::MerchantRecord& merchant);

  std::mutex reader_mutex_;
  std::unique_ptr<SqliteDatabase> reader_;
  std::unique_ptr<GroupCommitWriter> writer_;  // last: destroyed first, draining its queue
};

}  // namespace mpay::store::sqlite
