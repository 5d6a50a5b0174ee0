// The read side of the ledger: what is durable, readable at once, without touching the writer.
//
// It holds the money state as of the last committed batch (balances for GET account) and the
// "tail": committed batches the projector has not written yet, indexed by transfer id and by
// account, so a client reads its own acknowledged writes even while projections lag. The committer
// applies each batch before acknowledging it; the projector trims the tail once the batch is in
// the projection store. Readers must consult the tail BEFORE the projection store: a batch leaves
// the tail only after it is in the store, so one of the two always has it.
//
// Thread-safe: one writer (the committer; the projector for trims), many readers (shared lock).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "ledger/committed_batch.h"
#include "ledger/money_state.h"
#include "ledger/storage.h"

namespace mpay::ledger {

class CommittedView {
 public:
  void restore(const LedgerImage& image);

  // Applies a durable batch; keep_in_tail is false during start-up replay (already projected).
  void apply(const CommittedBatchPtr& batch, bool keep_in_tail);
  // Forgets tail batches up to and including `projected_seq`, one batch per lock hold so that the
  // committer is never kept waiting long.
  void trim(uint64_t projected_seq);

  std::optional<AccountState> account(const AccountId& id) const;
  // A created transfer still in the tail, with its pending status as of the last commit.
  std::optional<TransferRecord> tail_transfer(const TransferId& id) const;
  // A status change in the tail for a transfer that may already be projected.
  std::optional<PendingResolution> tail_resolution(const TransferId& id) const;
  // The account's created transfers in the tail, oldest first.
  std::vector<TransferRecord> tail_history(const AccountId& id) const;

  LedgerImage image() const;
  bool zero_sum_holds() const;
  uint64_t committed_seq() const;
  uint64_t tail_events() const;
  size_t account_count() const;
  size_t pending_count() const;

 private:
  // One created transfer in the tail. Records are numbered in commit order; each links to the
  // previous tail record of its debit and of its credit account, so an account's tail history is a
  // walk from its newest record, and appending costs one map update per side.
  struct TailRecord {
    const JournalEntry* entry;
    uint64_t seq;
    uint64_t previous_for_debit;   // record number, or kNoRecord
    uint64_t previous_for_credit;
  };
  static constexpr uint64_t kNoRecord = UINT64_MAX;

  const TailRecord* record(uint64_t number) const;
  TransferRecord to_transfer_record(const TailRecord& record) const;
  bool trim_one_batch(uint64_t projected_seq);

  mutable std::shared_mutex mutex_;
  MoneyState money_;
  std::deque<CommittedBatchPtr> tail_;
  uint64_t tail_events_ = 0;
  std::deque<TailRecord> records_;
  uint64_t first_record_number_ = 0;  // the number of records_.front()
  absl::flat_hash_map<TransferId, uint64_t, Id128Hash> record_by_id_;
  absl::flat_hash_map<AccountId, uint64_t, Id128Hash> newest_record_by_account_;
  absl::flat_hash_map<TransferId, PendingResolution, Id128Hash> tail_resolutions_;
};

}  // namespace mpay::ledger
