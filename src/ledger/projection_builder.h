// Turns committed journal entries into one ProjectionWrite: rows sorted by their keys (so the store
// writes pages in order) and balance changes summed per account. Pure; not thread-safe.
#pragma once

#include <cstdint>

#include <absl/container/flat_hash_map.h>

#include "ledger/journal_format.h"
#include "ledger/storage.h"

namespace mpay::ledger {

class ProjectionBuilder {
 public:
  void add(uint64_t seq, const JournalEntry& entry);
  // Sorts and hands over everything added since the last take; resets the builder.
  ProjectionWrite take(uint64_t applied_seq);
  uint64_t entry_count() const { return write_.entry_count; }

 private:
  ProjectionWrite write_;
  absl::flat_hash_map<AccountId, AccountBalances, Id128Hash> deltas_;
};

}  // namespace mpay::ledger
