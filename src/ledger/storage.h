// What the ledger needs from a store: the journal (the truth), snapshots, and the projections that
// serve queries. src/store/ implements it (SQLite now, PostgreSQL next); the ledger never sees SQL.
//
// Thread-safety: every method may be called from any thread; implementations serialize internally.
// In practice the ledger calls journal_append from its committer thread, projection_apply from its
// projector thread, snapshot_save from its snapshotter, and the readers from API threads.
// Durability: journal_append returns ok only once its records are durable (synced).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/error.h"
#include "ledger/journal_format.h"
#include "ledger/types.h"

namespace mpay::ledger {

// A transfer as the projections hold it: its journal entry (created, or a remembered failure), the
// batch that recorded it, and for pending transfers what became of them.
struct TransferRecord {
  JournalEntry entry;
  uint64_t seq = 0;
  PendingStatus status = PendingStatus::none;
  int64_t resolved_timestamp = 0;  // when a pending transfer was posted, voided or expired
};

// An applied application event as the projections hold it.
struct AppEventRecord {
  AppEvent event;
  uint64_t seq = 0;
  int64_t timestamp = 0;
};

struct PendingResolution {
  TransferId pending_id;
  PendingStatus status = PendingStatus::none;
  int64_t timestamp = 0;
};

struct BalanceDelta {
  AccountId account_id;
  AccountBalances delta;  // added to the projected balances
};

// One projection step: everything batches (from_seq, applied_seq] change, applied atomically
// together with the new applied_seq. Vectors are sorted by their natural key (the projector sorts
// them so that the store writes pages in order).
struct ProjectionWrite {
  uint64_t applied_seq = 0;
  std::vector<std::pair<uint64_t, JournalEntry>> accounts_created;    // (seq, entry), by timestamp
  std::vector<std::pair<uint64_t, JournalEntry>> transfers_created;   // by timestamp
  std::vector<std::pair<uint64_t, JournalEntry>> transfers_failed;    // transient failures, by id
  std::vector<PendingResolution> resolutions;                         // by pending id
  std::vector<BalanceDelta> balance_deltas;                           // by account id
  std::vector<AppEventRecord> app_events;                             // applied, by timestamp
  uint64_t entry_count = 0;  // journal entries covered, for progress reports
};

struct JournalRecordRef {
  uint64_t seq = 0;
  std::span<const std::byte> bytes;
};

struct StoredSnapshot {
  uint64_t seq = 0;
  std::vector<std::byte> image;
};

enum class HistoryOrder { ascending, descending };

struct HistoryQuery {
  uint32_t limit = 50;
  std::optional<int64_t> after_timestamp;  // exclusive cursor, in the query's order
  HistoryOrder order = HistoryOrder::ascending;
};

class LedgerStorage {
 public:
  virtual ~LedgerStorage() = default;

  // --- journal ---
  virtual Result<uint64_t> journal_last_seq() = 0;  // 0 when empty
  // Appends consecutive batch records (seq = last + 1, + 2, ...) in ONE store transaction: all of
  // them are durable when it returns ok, none if it fails. The committer passes every batch that
  // is waiting, so one sync serves several batches under load (group commit).
  virtual Status journal_append(std::span<const JournalRecordRef> records) = 0;
  // Visits batches from_seq..to_seq (inclusive) in order; stops at the first error from `visit`.
  virtual Status journal_read(
      uint64_t from_seq, uint64_t to_seq,
      const std::function<Status(uint64_t seq, std::span<const std::byte> record)>& visit) = 0;

  // --- snapshots ---
  virtual Status snapshot_save(uint64_t seq, std::span<const std::byte> image) = 0;
  virtual Result<std::optional<StoredSnapshot>> snapshot_load_latest() = 0;

  // --- projections ---
  virtual Result<uint64_t> projection_applied_seq() = 0;
  virtual Status projection_apply(const ProjectionWrite& write) = 0;
  virtual Status projection_reset() = 0;  // drop everything; applied_seq becomes 0
  virtual Result<std::optional<TransferRecord>> projection_find_transfer(const TransferId& id) = 0;
  virtual Result<std::optional<TransferRecord>> projection_find_failed(const TransferId& id) = 0;
  virtual Result<std::vector<TransferRecord>> projection_account_transfers(
      const AccountId& account_id, const HistoryQuery& query) = 0;
  virtual Result<std::optional<AccountState>> projection_find_account(const AccountId& id) = 0;
  virtual Result<uint64_t> projection_id_count() = 0;
  // Every transfer id and remembered failure id recorded up to batch `up_to_seq`, in no order.
  virtual Status projection_scan_ids(uint64_t up_to_seq,
                                     const std::function<void(const Id128&)>& visit) = 0;
  // Every applied application event from ledger time `from_timestamp` on, in journal order; stops
  // at the first error from `visit`.
  virtual Status projection_scan_app_events(
      int64_t from_timestamp, const std::function<Status(const AppEventRecord&)>& visit) = 0;
};

}  // namespace mpay::ledger
