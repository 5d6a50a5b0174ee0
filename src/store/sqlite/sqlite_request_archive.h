// RequestArchive on SQLite: tables payment_request_archive, payment_refund_archive,
// payment_request_archive_transfers and payment_request_archive_mark in DATA/mpay.db (main
// migration 7).
//
// Writes go through mpay.db's one GroupCommitWriter (owned by SqliteWalletRepository, which also
// applies the migrations) as durable units: the book forgets a request once put() returns, so the
// row must survive a power loss. Reads borrow one of a few read-only connections kept open with
// their prepared statements (a get that misses the book, a list page, a usage sum, and a
// merchant-reference probe on every payment-request creation); in WAL mode they run alongside the
// writer and see every write that returned before them.
//
// A refund created after its request was archived is in payment_refunds only (the repository
// writes it there) until the request is archived again: get() and refund() return it too, as
// pending with no settlement, and the book applies its journal events.
//
// Thread-safe; calls block. Errors: "store_error" (SQLite failed, including a put() whose
// merchant reference another archived request already holds).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "payments/requests/request_archive.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class SqliteRequestArchive final : public requests::RequestArchive {
 public:
  // Enough for the HTTP workers' probes and pages to rarely wait for one another.
  static constexpr size_t kReaderConnections = 4;

  // `writer` writes mpay.db in `data_directory` (already migrated) and must outlive this.
  static Result<std::unique_ptr<SqliteRequestArchive>> open(const std::string& data_directory,
                                                            GroupCommitWriter& writer);
  ~SqliteRequestArchive() override;
  SqliteRequestArchive(const SqliteRequestArchive&) = delete;
  SqliteRequestArchive& operator=(const SqliteRequestArchive&) = delete;

  Status put(std::span<const requests::ArchivedRequest> requests) override;
  Status set_replay_from(int64_t ledger_ts) override;
  Result<int64_t> replay_from() override;

  // Refunds oldest first (by created_at_ns, then id); transfers by id.
  Result<std::optional<requests::ArchivedRequest>> get(const Id128& id) override;
  Result<std::optional<int64_t>> last_event_ts(const Id128& id) override;
  Result<std::optional<requests::RefundRecord>> refund(const Id128& refund_id) override;
  Result<std::optional<Id128>> request_of_transfer(const TransferId& transfer) override;
  Result<std::vector<requests::PaymentRequest>> list_for_merchant(
      const Id128& merchant, const requests::RequestListQuery& query) override;
  Result<std::vector<requests::PaymentRequest>> list_for_payer(
      const Id128& payer, const requests::RequestListQuery& query) override;
  // By request id; fully refunded requests are included, with amount 0.
  Result<std::vector<requests::ArchivedCharge>> phone_bill_charges(const Id128& payer,
                                                                   int64_t from_ns,
                                                                   int64_t to_ns) override;
  Result<std::vector<requests::ArchivedCharge>> mandate_charges(const Id128& mandate,
                                                                int64_t from_ns) override;
  Result<bool> has_reference(const Id128& merchant, std::string_view reference) override;
  // Counts the rows (a scan of the smallest index): for start-up and metrics, not per request.
  Result<uint64_t> count() override;

 private:
  using ReaderLease = ReaderPool::Lease;

  explicit SqliteRequestArchive(GroupCommitWriter& writer) : writer_(writer) {}
  ReaderLease borrow_reader() { return readers_.borrow(); }
  // `owner_column`: merchant_id or payer_id (each has an index on (owner, id)).
  Result<std::vector<requests::PaymentRequest>> list(std::string_view owner_column,
                                                     const Id128& owner,
                                                     const requests::RequestListQuery& query);

  GroupCommitWriter& writer_;
  ReaderPool readers_;
};

}  // namespace mpay::store::sqlite
