// QrRepository on SQLite: tables qr_merchant_codes and payment_code_limits in DATA/mpay.db (main
// migration 6). Writes go through mpay.db's one GroupCommitWriter (owned by
// SqliteWalletRepository, which also applies the migrations); load() opens a read-only connection
// for the one read at start-up. Thread-safe; calls block.
#pragma once

#include <string>

#include "channels/qr/qr_repository.h"
#include "store/sqlite/group_commit_writer.h"

namespace mpay::store::sqlite {

class SqliteQrRepository final : public qr::QrRepository {
 public:
  // `writer` writes mpay.db in `data_directory` (already migrated) and must outlive this.
  SqliteQrRepository(std::string data_directory, GroupCommitWriter& writer)
      : path_(std::move(data_directory) + "/mpay.db"), writer_(writer) {}

  Status insert_code(const qr::MerchantCode& code) override;
  Status claim_code(const Id128& code_id, const wallet::UserId& user, int64_t at_ns) override;
  Status set_code_request(const Id128& code_id, const Id128& request_id) override;
  Status deactivate_code(const Id128& code_id, int64_t at_ns) override;
  Status set_payment_code_limit(const wallet::UserId& user, int64_t limit_minor,
                                int64_t at_ns) override;
  Status load(const std::function<void(qr::MerchantCode)>& code,
              const std::function<void(wallet::UserId, int64_t)>& payment_code_limit) override;

 private:
  std::string path_;
  GroupCommitWriter& writer_;
};

}  // namespace mpay::store::sqlite
