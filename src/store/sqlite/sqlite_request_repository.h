// RequestRepository on SQLite: tables payment_requests, payment_refunds, mandates,
// subscriber_carriers and payment_bank_pulls in DATA/mpay.db (main migration 4).
//
// Writes go through mpay.db's one GroupCommitWriter (owned by SqliteWalletRepository, which also
// applies the migrations), so they share its group commits; load() opens a read-only connection
// for the one read at start-up, and so does bank_pull_of() (once per bank refund). Thread-safe;
// calls block.
//
// load() skips the requests in payment_request_archive (sqlite_request_archive.h) and the refunds
// in payment_refund_archive: the book loads an archived request back itself when it needs it, with
// its refunds from the archive. A refund created after its request was archived (loaded back for
// it) is loaded: if the journal has no outcome for it, start-up loads its request back and
// finishes it like any pending refund.
#pragma once

#include <memory>
#include <string>

#include "payments/requests/request_repository.h"
#include "store/sqlite/group_commit_writer.h"

namespace mpay::store::sqlite {

class SqliteRequestRepository final : public requests::RequestRepository {
 public:
  // `writer` writes mpay.db in `data_directory` (already migrated) and must outlive this.
  SqliteRequestRepository(std::string data_directory, GroupCommitWriter& writer)
      : path_(std::move(data_directory) + "/mpay.db"), writer_(writer) {}

  Status insert_request(const requests::RequestTerms& terms) override;
  Status insert_refund(const requests::RefundRecord& refund) override;
  Status insert_mandate(const requests::MandateRecord& mandate) override;
  Status revoke_mandate(const Id128& id, int64_t revoked_at_ns) override;
  Status set_carrier(const wallet::UserId& user, const std::string& carrier, int64_t at_ns) override;
  Status insert_bank_pull(const requests::BankPull& pull) override;
  Status delete_bank_pull(const Id128& request_id) override;
  Result<std::optional<requests::BankPull>> bank_pull_of(const Id128& request_id) override;
  Status load(const std::function<void(requests::RequestTerms)>& request,
              const std::function<void(requests::RefundRecord)>& refund,
              const std::function<void(requests::MandateRecord)>& mandate,
              const std::function<void(wallet::UserId, std::string)>& carrier,
              const std::function<void(requests::BankPull)>& bank_pull) override;

 private:
  std::string path_;
  GroupCommitWriter& writer_;
};

}  // namespace mpay::store::sqlite
