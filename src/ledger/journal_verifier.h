// Offline verification of a whole journal: every record's checksum, batch numbering, and a full
// replay from the first batch with a fresh state machine (every recorded outcome must come out
// again, byte for byte), ending with the zero-sum check. Optionally compares the replayed state
// with a snapshot's. Used by `mpay journal verify`; reads only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/error.h"
#include "ledger/storage.h"

namespace mpay::ledger {

struct JournalVerification {
  uint64_t batches = 0;
  uint64_t events = 0;
  uint64_t accounts = 0;
  uint64_t pending = 0;
  bool zero_sum_holds = false;
  std::optional<uint64_t> snapshot_checked_seq;  // the snapshot the state was compared with
};

Result<JournalVerification> verify_journal(LedgerStorage& storage,
                                           const std::function<void(uint64_t done, uint64_t total)>& progress);

}  // namespace mpay::ledger
