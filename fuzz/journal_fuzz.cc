// Fuzz target: journal records read back from disk. decode_batch and decode_header on the input,
// and on a copy of it whose checksum was recomputed (so that damage behind the checksum is tested
// too; see fuzz_checksum.h).
//
// Properties:
// - both decoders reject with "journal_corrupt" or accept, without undefined behaviour;
// - they agree: decode_batch accepts only what decode_header accepts, with the same header fields;
// - an accepted record is exactly what the writer produces: re-sealing its entries with
//   JournalBatchBuffer gives back the same bytes, and that record decodes to the same batch.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "core/check.h"
#include "fuzz_checksum.h"
#include "ledger/journal_format.h"

namespace {

namespace ledger = mpay::ledger;

bool same_entries(const ledger::DecodedBatch& a, const ledger::DecodedBatch& b) {
  return a.entries.size() == b.entries.size() &&
         (a.entries.empty() || std::memcmp(a.entries.data(), b.entries.data(),
                                           a.entries.size() * sizeof(ledger::JournalEntry)) == 0);
}

void check_record(std::span<const std::byte> record) {
  auto header = ledger::decode_header(record);
  auto batch = ledger::decode_batch(record);
  if (!header.ok()) {
    MPAY_CHECK(header.error().code == "journal_corrupt", "decode_header: another error code");
    MPAY_CHECK(!batch.ok(), "decode_batch accepted a record whose header is refused");
  }
  if (!batch.ok()) {
    MPAY_CHECK(batch.error().code == "journal_corrupt", "decode_batch: another error code");
    return;
  }
  MPAY_CHECK(header.ok() && header->seq == batch->seq && header->timestamp == batch->timestamp &&
                 header->entry_count == batch->entries.size(),
             "decode_header and decode_batch disagree");

  ledger::JournalBatchBuffer buffer;
  buffer.reserve(batch->entries.size());
  for (const ledger::JournalEntry& entry : batch->entries) buffer.append() = entry;
  std::span<const std::byte> resealed = buffer.seal(batch->seq, batch->timestamp);
  MPAY_CHECK(resealed.size() == record.size() &&
                 std::memcmp(resealed.data(), record.data(), record.size()) == 0,
             "re-sealing an accepted record gives other bytes");
  auto again = ledger::decode_batch(resealed);
  MPAY_CHECK(again.ok() && again->seq == batch->seq && again->timestamp == batch->timestamp &&
                 same_entries(*again, *batch),
             "a re-sealed record decodes differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> record = mpay::fuzz::as_bytes(data, size);
  check_record(record);
  std::vector<std::byte> repaired = mpay::fuzz::with_valid_checksum(record);
  check_record(repaired);
  return 0;
}
