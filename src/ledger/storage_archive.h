// The TransferArchive the writer uses in production: the projection store, read through
// LedgerStorage. Records from batches at or after `before_seq` are ignored, so that a start-up
// replay (when projections may be ahead of the replay position) sees the past as it was.
#pragma once

#include "ledger/storage.h"
#include "ledger/transfer_archive.h"

namespace mpay::ledger {

class StorageArchive final : public TransferArchive {
 public:
  explicit StorageArchive(LedgerStorage& storage) : storage_(storage) {}
  Result<std::optional<ArchivedTransfer>> find(const TransferId& id, uint64_t before_seq) override;

 private:
  LedgerStorage& storage_;
};

}  // namespace mpay::ledger
