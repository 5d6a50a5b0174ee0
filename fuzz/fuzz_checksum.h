// Helpers shared by the fuzz targets of the binary disk formats (journal records, snapshots).
// Both formats put an XXH3-64 checksum at byte 8 that covers every byte from 16 on. Random damage
// almost never gets past that check, so the targets also decode a copy whose checksum has been
// recomputed: that copy reaches every check behind the checksum.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace mpay::fuzz {

inline constexpr size_t kChecksumOffset = 8;
inline constexpr size_t kChecksumCoverageStart = 16;

// A copy of `bytes` with the checksum field made to match; bytes too short for it stay as they are.
inline std::vector<std::byte> with_valid_checksum(std::span<const std::byte> bytes) {
  std::vector<std::byte> copy(bytes.begin(), bytes.end());
  if (copy.size() < kChecksumCoverageStart) return copy;
  uint64_t checksum =
      XXH3_64bits(copy.data() + kChecksumCoverageStart, copy.size() - kChecksumCoverageStart);
  std::memcpy(copy.data() + kChecksumOffset, &checksum, sizeof(checksum));
  return copy;
}

inline std::span<const std::byte> as_bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

}  // namespace mpay::fuzz
