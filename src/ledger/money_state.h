// The money state rebuilt from committed journal entries: accounts with balances and the set of
// pending transfers. It applies outcomes without judging them (the state machine already did), and
// checks that they are consistent (a balance never goes negative, a pending transfer resolves once).
//
// Used by the read-side view (balances as of the last durable batch) and for snapshots.
// Not thread-safe by itself.
#pragma once

#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "ledger/journal_format.h"
#include "ledger/state_machine.h"
#include "ledger/types.h"

namespace mpay::ledger {

// The change one entry makes to its debit and credit accounts' balances (zero for rejections).
struct EntryEffect {
  AccountBalances debit;
  AccountBalances credit;
  bool moves_money = false;
};
EntryEffect effect_of(const JournalEntry& entry);

class MoneyState {
 public:
  void restore(const LedgerImage& image);
  LedgerImage image() const;

  // `positions` (from the writer) saves two id lookups; they are checked against the entry's ids.
  void apply(uint64_t seq, const JournalEntry& entry,
             const AccountPositions& positions = AccountPositions{});
  void finish_batch(uint64_t seq) { seq_ = seq; }

  const AccountState* find_account(const AccountId& id) const;
  size_t account_count() const { return accounts_.size(); }
  size_t pending_count() const { return pending_.size(); }
  uint64_t seq() const { return seq_; }

  // Per currency, the sums of (credits - debits), posted and pending, must be zero.
  bool zero_sum_holds() const;

 private:
  void add(uint32_t index, const AccountBalances& delta);
  uint32_t position_of(const Id128& id, uint32_t hint) const;

  std::vector<AccountState> accounts_;
  absl::flat_hash_map<AccountId, uint32_t, Id128Hash> account_index_;
  absl::flat_hash_map<TransferId, PendingState, Id128Hash> pending_;
  uint64_t seq_ = 0;
  int64_t last_timestamp_ = 0;
};

}  // namespace mpay::ledger
