// The snapshot format: the whole money state (accounts with balances, pending transfers) as of one
// journal batch, so that start-up replays only the journal after it.
//
//   header (64 bytes): magic "MPS1" | version u16 | reserved u16 | checksum u64 (XXH3-64 of every
//                      byte after it) | seq u64 | last_timestamp i64 | account_count u64 |
//                      pending_count u64 | zeros
//   accounts (88 bytes each), then pending transfers (64 bytes each), all little-endian.
// Pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/error.h"
#include "ledger/state_machine.h"

namespace mpay::ledger {

std::vector<std::byte> encode_snapshot(const LedgerImage& image);

// Errors: "snapshot_corrupt" (bad magic, version, size, checksum, reserved or padding bytes that
// are not zero, or indexes out of range).
Result<LedgerImage> decode_snapshot(std::span<const std::byte> bytes);

}  // namespace mpay::ledger
