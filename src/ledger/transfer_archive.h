// The ledger's long memory: transfers that are no longer in the writer's in-memory id window.
//
// Ids are unique forever. The writer checks recent ids in memory; for older ones it asks this
// archive (in practice the projection store), guarded by an IdFilter so that new ids rarely reach
// it. Called only from the ledger's writer thread, synchronously.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/error.h"
#include "ledger/result_codes.h"
#include "ledger/types.h"

namespace mpay::ledger {

struct ArchivedTransfer {
  Transfer submitted;  // the fields exactly as the client sent them
  CreateTransferResult result = CreateTransferResult::created;  // created, or a transient failure
  PendingStatus status = PendingStatus::none;  // for created pending transfers: what became of it
  uint64_t seq = 0;                            // the journal batch that recorded it
};

class TransferArchive {
 public:
  virtual ~TransferArchive() = default;

  // The transfer (or remembered failure) with this id recorded in a batch before `before_seq`.
  // An error here is a storage failure: the writer stops (fail-stop), it never guesses.
  virtual Result<std::optional<ArchivedTransfer>> find(const TransferId& id, uint64_t before_seq) = 0;
};

}  // namespace mpay::ledger
