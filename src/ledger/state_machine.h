// The ledger's state machine: validates and applies account and transfer commands, in order,
// deterministically, and describes every outcome as a journal entry.
//
// It owns the money state in memory: accounts with balances, pending transfers and their expiry
// times, a window of recent transfer ids (and remembered failures), and a filter over all ids.
// Given the same starting state and the same batches (time included), it produces byte-identical
// entries: replaying the journal is how the ledger starts up and how tests prove determinism.
//
// Not thread-safe: one writer thread owns it. Time never comes from a clock here; callers pass each
// batch's timestamp. Broken invariants (a balance going negative, sums not adding up) abort.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <span>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "core/error.h"
#include "ledger/id_filter.h"
#include "ledger/journal_format.h"
#include "ledger/result_codes.h"
#include "ledger/transfer_archive.h"
#include "ledger/types.h"

namespace mpay::ledger {

// At most this many pending transfers expire at the start of one batch; the rest expire in the
// next batches (the writer keeps cutting batches while expiries are due, and a post or void after
// the deadline is refused meanwhile). Part of the journal's meaning: replay relies on it, so
// changing it needs a new journal version.
inline constexpr size_t kExpiriesPerBatchMax = 8190;

struct StateMachineOptions {
  uint64_t id_window_transfers = 1u << 18;  // recent ids kept in memory (beyond: filter + archive)
  uint64_t id_filter_capacity = 1u << 24;   // ids the filter is sized for
};

struct PendingState {
  uint32_t debit_index = 0;   // into the account table
  uint32_t credit_index = 0;
  int64_t amount = 0;
  int64_t timestamp = 0;
  int64_t expires_at = 0;  // 0 = never
  uint16_t currency = 0;
};

// Everything a snapshot must carry for the state machine to resume.
struct LedgerImage {
  uint64_t seq = 0;             // the last batch applied
  int64_t last_timestamp = 0;   // the last event timestamp handed out
  std::vector<AccountState> accounts;
  std::vector<std::pair<TransferId, PendingState>> pending;  // indexes refer to `accounts`
};

class StateMachine {
 public:
  // `archive` may be null only if nothing is ever evicted: every begin_batch must then pass
  // evictable_seq = 0 (resolutions of pending transfers are forgotten by evictable_seq alone).
  // A restored machine answers for ids before its snapshot only through the archive and the id
  // filter; Ledger::recover fills the filter from the archive before it restores.
  StateMachine(StateMachineOptions options, TransferArchive* archive);

  // Replaces the whole state with an image (start-up from a snapshot).
  void restore(const LedgerImage& image);
  LedgerImage image() const;

  // Starts batch `seq` at `timestamp` (which must be later than every earlier event): expires due
  // pending transfers (up to kExpiriesPerBatchMax), appending one expire_pending entry each. Ids recorded in batches up to
  // `evictable_seq` (already in the archive) may leave the in-memory window.
  Status begin_batch(uint64_t seq, int64_t timestamp, uint64_t evictable_seq,
                     JournalBatchBuffer* out);

  // Appends one entry per command, in order; the last entry is marked as the submission's end.
  void create_accounts(std::span<const Account> accounts, JournalBatchBuffer* out);
  // Same; an error is an archive failure (fail-stop), never a rejection: rejections are results.
  Status create_transfers(std::span<const Transfer> transfers, JournalBatchBuffer* out);

  // Appends one app_event entry per event after the submission's transfers, which begin at entry
  // `first_transfer_entry` of `out` (none: == out->size()). Each event is applied (result 0) only
  // if every one of those transfers was created; `exists` does not count, so a retried submission
  // never applies its events twice. An event's payload follows it in app_payload entries. The
  // last entry of the last event, not the last transfer, ends the submission.
  void record_app_events(std::span<const AppEvent> events, size_t first_transfer_entry,
                         JournalBatchBuffer* out);

  // The earliest expiry among pending transfers, if any; the writer wakes up for it. Drops stale
  // heap entries (transfers resolved before they expired) on the way.
  std::optional<int64_t> next_expiry();

  const AccountState* find_account(const AccountId& id) const;
  uint64_t last_seq() const { return seq_; }
  int64_t last_timestamp() const { return last_timestamp_; }
  size_t account_count() const { return accounts_.size(); }
  size_t pending_count() const { return pending_.size(); }
  size_t window_size() const { return window_.size(); }
  const IdFilter& filter() const { return filter_; }
  // Re-sizes the (still empty) id filter, at start-up when the archive holds more ids than planned.
  void resize_filter(uint64_t capacity);
  IdFilter& mutable_filter() { return filter_; }

 private:
  struct WindowRecord {
    Transfer submitted;
    uint64_t seq = 0;
    CreateTransferResult result = CreateTransferResult::created;
  };
  struct Resolution {
    PendingStatus status = PendingStatus::none;
    uint64_t seq = 0;
  };
  struct Expiry {
    int64_t expires_at;
    TransferId id;
    bool operator>(const Expiry& other) const {
      return expires_at != other.expires_at ? expires_at > other.expires_at : id > other.id;
    }
  };
  // Steps taken while applying a linked chain, undone in reverse if the chain fails.
  struct UndoStep {
    enum class Kind : uint8_t { balances, pending_inserted, pending_erased, window_inserted,
                                resolution_inserted };
    Kind kind;
    uint32_t account_index = 0;
    AccountBalances balances;
    TransferId id;
    PendingState pending;
  };
  // What is known about an id: nothing, a remembered outcome, or a transfer.
  struct KnownId {
    Transfer submitted;
    CreateTransferResult result;
  };

  CreateAccountResult create_account(const Account& account, int64_t timestamp);
  Result<CreateTransferResult> create_transfer(const Transfer& transfer, int64_t timestamp,
                                               JournalEntry* entry);
  CreateTransferResult validate_fields(const Transfer& transfer) const;
  CreateTransferResult apply_single_phase(const Transfer& transfer, int64_t timestamp,
                                          JournalEntry* entry);
  Result<CreateTransferResult> apply_second_phase(const Transfer& transfer, int64_t timestamp,
                                                  JournalEntry* entry);
  Result<CreateTransferResult> pending_lookup_failure(const TransferId& pending_id);
  Result<std::optional<KnownId>> find_known(const TransferId& id);
  void remember(const Transfer& transfer, CreateTransferResult result);
  void set_balances(uint32_t account_index, const AccountBalances& balances);
  void insert_pending(const TransferId& id, const PendingState& pending);
  void erase_pending(const TransferId& id);
  void resolve(const TransferId& id, PendingStatus status);
  void rollback();
  void evict(uint64_t evictable_seq);
  int64_t next_timestamp();

  StateMachineOptions options_;
  TransferArchive* archive_;

  std::vector<AccountState> accounts_;
  absl::flat_hash_map<AccountId, uint32_t, Id128Hash> account_index_;
  absl::flat_hash_map<TransferId, PendingState, Id128Hash> pending_;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiries_;

  // The id window: records in commit order (oldest first) and a compact index from id to record
  // number. New ids cost one probe of the small index and an append; the full fields are read only
  // when a retry must be compared.
  std::deque<WindowRecord> window_;
  uint64_t window_first_number_ = 0;
  absl::flat_hash_map<TransferId, uint64_t, Id128Hash> window_index_;
  absl::flat_hash_map<TransferId, Resolution, Id128Hash> resolutions_;
  std::deque<std::pair<TransferId, uint64_t>> resolution_order_;
  IdFilter filter_;

  AccountPositions* positions_out_ = nullptr;  // where create_transfer reports account positions
  std::vector<UndoStep> undo_;
  bool recording_undo_ = false;

  uint64_t seq_ = 0;
  int64_t last_timestamp_ = 0;
};

}  // namespace mpay::ledger
