// PaymentCodeRepository on SQLite: table payment_code_devices in DATA/mpay.db (main migration 5).
//
// Writes go through mpay.db's one GroupCommitWriter (owned by SqliteWalletRepository, which also
// applies the migrations), so they share its group commits and each returns once durable
// (synchronous=FULL); load_devices() opens a read-only connection for the one read at start-up.
//
// Thread-safe; calls block. Errors: "store_error" (SQLite failed, or a row holds an impossible
// value), "store_busy", "already_exists" (field "device_number" or "id"), "not_found" (update of a
// device with no row).
#pragma once

#include <string>

#include "channels/qr/payment_code/payment_code_repository.h"
#include "store/sqlite/group_commit_writer.h"

namespace mpay::store::sqlite {

class SqlitePaymentCodeRepository final : public qr::PaymentCodeRepository {
 public:
  // `writer` writes mpay.db in `data_directory` (already migrated) and must outlive this.
  SqlitePaymentCodeRepository(std::string data_directory, GroupCommitWriter& writer)
      : path_(std::move(data_directory) + "/mpay.db"), writer_(writer) {}

  Status insert_device(const qr::PaymentCodeDevice& device) override;
  Status update_device(const qr::PaymentCodeDevice& device) override;
  Result<std::vector<qr::PaymentCodeDevice>> load_devices() override;

 private:
  std::string path_;
  GroupCommitWriter& writer_;
};

}  // namespace mpay::store::sqlite
