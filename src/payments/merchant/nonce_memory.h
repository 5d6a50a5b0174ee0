// The nonces of signed merchant requests, remembered per API key for as long as a request
// carrying them could still be accepted, so that a captured request cannot be sent again.
//
// A nonce with timestamp T is acceptable while |now - T| <= skew, so it is remembered until
// T + skew has passed, then forgotten. Each key's nonces are kept as 128-bit keyed digests
// (XXH3-128 under a random per-process seed: collisions are out of reach by chance, and a merchant
// crafting them could only refuse its own requests), with a min-heap of expiry times; expired
// entries are dropped on the key's next request, and from every key when the total bound is hit.
//
// Bounded: at most `per_key_max` live nonces per key and `total_max` over all keys. When a key or
// the whole memory is full (after dropping every expired entry), remember() answers `full` and the
// request is refused (503, retry later); a live nonce is never forgotten early, because that would
// reopen a replay. An entry costs about 45 bytes (a flat-set slot and a heap entry), so the
// default bounds cap the memory near 270 MB, and hold the benchmark's 8,000 requests/s on one
// key (2.4 M live entries for timestamps at the server's clock).
//
// Nothing here is durable: across a restart, replays are refused by the timestamp rules of
// request_verifier.h instead. Thread-safe: keys are spread over striped locks.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "core/random.h"

namespace mpay::merchant {

inline constexpr size_t kNonceCharsMax = 64;

// 1..64 characters of [A-Za-z0-9_-].
bool is_valid_nonce(std::string_view nonce);

struct NonceMemoryOptions {
  size_t per_key_max = 4'000'000;
  size_t total_max = 6'000'000;
};

enum class NonceOutcome { fresh, reused, full };

class NonceMemory {
 public:
  NonceMemory(NonceMemoryOptions options, RandomSource& random);

  // Records `nonce` for `key_id` until `expires_at_s` (exclusive), unless it is already there.
  NonceOutcome remember(std::string_view key_id, std::string_view nonce, int64_t expires_at_s, int64_t now_s);

  size_t size() const { return total_.load(std::memory_order_relaxed); }

 private:
  struct Digest {
    uint64_t high = 0;
    uint64_t low = 0;
    friend bool operator==(const Digest&, const Digest&) = default;
  };
  struct DigestHash {
    size_t operator()(const Digest& digest) const { return static_cast<size_t>(digest.low ^ (digest.high * 31)); }
  };
  struct Expiry {
    int64_t at_s = 0;
    Digest digest;
    bool operator>(const Expiry& other) const { return at_s > other.at_s; }
  };
  struct KeyNonces {
    absl::flat_hash_set<Digest, DigestHash> live;
    std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> by_expiry;
  };
  struct Stripe {
    std::mutex mutex;
    std::unordered_map<std::string, KeyNonces> keys;
  };
  static constexpr size_t kStripes = 64;

  Digest digest_of(std::string_view nonce) const;
  void forget_expired(KeyNonces& nonces, int64_t now_s);
  void forget_expired_everywhere(int64_t now_s);
  NonceOutcome try_remember(std::string_view key_id, std::string_view nonce, int64_t expires_at_s, int64_t now_s);

  NonceMemoryOptions options_;
  uint64_t seed_ = 0;
  std::atomic<size_t> total_{0};
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace mpay::merchant
