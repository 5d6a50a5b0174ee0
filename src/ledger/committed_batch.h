// A batch whose journal record is durable: what the committer hands to the read-side view, the
// projector and the snapshotter. Immutable once built; shared between threads by shared_ptr.
#pragma once

#include <cstdint>
#include <memory>

#include "ledger/journal_format.h"

namespace mpay::ledger {

struct CommittedBatch {
  uint64_t seq = 0;
  int64_t timestamp = 0;
  JournalBatchBuffer buffer;  // the record; entries() are the batch's events
};

using CommittedBatchPtr = std::shared_ptr<const CommittedBatch>;

}  // namespace mpay::ledger
