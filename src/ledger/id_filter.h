// A blocked Bloom filter over 128-bit ids: "certainly never seen" or "maybe seen".
//
// The ledger keeps recent ids in memory; for every other id it asks this filter before it asks the
// projection store, so that a brand-new id (the common case) costs one cache line instead of a
// database lookup. One 512-bit block per id keeps a lookup to a single cache miss.
// Not thread-safe: owned by the ledger's writer thread.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ids.h"

namespace mpay::ledger {

class IdFilter {
 public:
  // Sized for `capacity` ids at about 12 bits each (false-positive rate near 0.5%); past that the
  // rate rises gradually, which costs lookups, never correctness.
  explicit IdFilter(uint64_t capacity);

  void insert(const Id128& id);
  bool may_contain(const Id128& id) const;

  uint64_t inserted() const { return inserted_; }
  uint64_t capacity() const { return capacity_; }
  size_t memory_bytes() const { return blocks_.size() * sizeof(Block); }

 private:
  struct alignas(64) Block {
    uint64_t words[8];
  };

  const Block& block_for(uint64_t hash) const;
  static uint64_t hash_of(const Id128& id);

  std::vector<Block> blocks_;
  uint64_t capacity_;
  uint64_t inserted_ = 0;
};

}  // namespace mpay::ledger
