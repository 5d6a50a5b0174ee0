#include "ledger/id_filter.h"

#include <algorithm>

namespace mpay::ledger {
namespace {

constexpr uint64_t kBitsPerId = 12;
constexpr uint64_t kBlockBits = 512;
constexpr int kProbes = 8;  // one probe per 64-bit word of the block

}  // namespace

IdFilter::IdFilter(uint64_t capacity) : capacity_(std::max<uint64_t>(capacity, 1024)) {
  uint64_t block_count = (capacity_ * kBitsPerId + kBlockBits - 1) / kBlockBits;
  blocks_.assign(block_count, Block{});
}

uint64_t IdFilter::hash_of(const Id128& id) {
  uint64_t x = id.high ^ (id.low * 0x9E3779B97F4A7C15ULL);
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ULL;
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ULL;
  x ^= x >> 32;
  return x;
}

const IdFilter::Block& IdFilter::block_for(uint64_t hash) const {
  // Multiply-shift maps the high 32 bits onto [0, block count) without a division.
  uint64_t index = ((hash >> 32) * blocks_.size()) >> 32;
  return blocks_[index];
}

void IdFilter::insert(const Id128& id) {
  uint64_t hash = hash_of(id);
  Block& block = const_cast<Block&>(block_for(hash));
  uint64_t bits = hash * 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < kProbes; ++i) {
    block.words[i] |= uint64_t{1} << (bits & 63);
    bits = (bits >> 6) | (bits << 58);
  }
  ++inserted_;
}

bool IdFilter::may_contain(const Id128& id) const {
  uint64_t hash = hash_of(id);
  const Block& block = block_for(hash);
  uint64_t bits = hash * 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < kProbes; ++i) {
    if ((block.words[i] & (uint64_t{1} << (bits & 63))) == 0) return false;
    bits = (bits >> 6) | (bits << 58);
  }
  return true;
}

}  // namespace mpay::ledger
