#include "ledger/storage_archive.h"

#include "ledger/replay.h"

namespace mpay::ledger {

Result<std::optional<ArchivedTransfer>> StorageArchive::find(const TransferId& id,
                                                            uint64_t before_seq) {
  Result<std::optional<TransferRecord>> record = storage_.projection_find_transfer(id);
  if (!record.ok()) return record.error();
  if (!record->has_value()) {
    record = storage_.projection_find_failed(id);
    if (!record.ok()) return record.error();
  }
  if (!record->has_value() || (*record)->seq >= before_seq) {
    return std::optional<ArchivedTransfer>();
  }
  const TransferRecord& found = **record;
  ArchivedTransfer archived;
  archived.submitted = submitted_transfer(found.entry);
  archived.result = static_cast<CreateTransferResult>(found.entry.result);
  archived.status = found.status;
  archived.seq = found.seq;
  return std::optional<ArchivedTransfer>(archived);
}

}  // namespace mpay::ledger
