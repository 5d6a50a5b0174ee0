// Fuzz target: snapshots read back from disk. decode_snapshot on the input, and on a copy of it
// whose checksum was recomputed (so that damage behind the checksum is tested too; see
// fuzz_checksum.h).
//
// Properties:
// - decode_snapshot rejects with "snapshot_corrupt" or accepts, without undefined behaviour;
// - an accepted snapshot is exactly what the writer produces: encode_snapshot of the decoded
//   image gives back the same bytes (so no damaged byte can hide in padding or be ignored);
// - every pending transfer of an accepted snapshot refers to accounts inside the image.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "core/check.h"
#include "fuzz_checksum.h"
#include "ledger/snapshot_format.h"

namespace {

namespace ledger = mpay::ledger;

void check_snapshot(std::span<const std::byte> bytes) {
  auto image = ledger::decode_snapshot(bytes);
  if (!image.ok()) {
    MPAY_CHECK(image.error().code == "snapshot_corrupt", "decode_snapshot: another error code");
    return;
  }
  for (const auto& [id, pending] : image->pending) {
    MPAY_CHECK(pending.debit_index < image->accounts.size() &&
                   pending.credit_index < image->accounts.size(),
               "an accepted snapshot's pending transfer refers to a missing account");
  }
  std::vector<std::byte> encoded = ledger::encode_snapshot(*image);
  MPAY_CHECK(encoded.size() == bytes.size() &&
                 std::memcmp(encoded.data(), bytes.data(), bytes.size()) == 0,
             "encode_snapshot(decode_snapshot(x)) != x");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes = mpay::fuzz::as_bytes(data, size);
  check_snapshot(bytes);
  std::vector<std::byte> repaired = mpay::fuzz::with_valid_checksum(bytes);
  check_snapshot(repaired);
  return 0;
}
