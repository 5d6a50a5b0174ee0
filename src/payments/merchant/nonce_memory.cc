#include "payments/merchant/nonce_memory.h"

#include <xxhash.h>

#include <algorithm>

namespace mpay::merchant {

bool is_valid_nonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kNonceCharsMax) return false;
  return std::all_of(nonce.begin(), nonce.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

NonceMemory::NonceMemory(NonceMemoryOptions options, RandomSource& random) : options_(options) {
  random.fill(&seed_, sizeof(seed_));
}

// Per key already (the map), so the nonce alone is hashed.
NonceMemory::Digest NonceMemory::digest_of(std::string_view nonce) const {
  XXH128_hash_t hash = XXH3_128bits_withSeed(nonce.data(), nonce.size(), seed_);
  return Digest{hash.high64, hash.low64};
}

void NonceMemory::forget_expired(KeyNonces& nonces, int64_t now_s) {
  while (!nonces.by_expiry.empty() && nonces.by_expiry.top().at_s <= now_s) {
    nonces.live.erase(nonces.by_expiry.top().digest);
    nonces.by_expiry.pop();
    total_.fetch_sub(1, std::memory_order_relaxed);
  }
}

// Stripes are locked one at a time, never while holding another: no lock order to get wrong.
void NonceMemory::forget_expired_everywhere(int64_t now_s) {
  for (Stripe& stripe : stripes_) {
    std::lock_guard lock(stripe.mutex);
    for (auto it = stripe.keys.begin(); it != stripe.keys.end();) {
      forget_expired(it->second, now_s);
      if (it->second.live.empty()) {
        stripe.keys.erase(it++);
      } else {
        ++it;
      }
    }
  }
}

NonceOutcome NonceMemory::remember(std::string_view key_id, std::string_view nonce, int64_t expires_at_s,
                                   int64_t now_s) {
  NonceOutcome outcome = try_remember(key_id, nonce, expires_at_s, now_s);
  if (outcome != NonceOutcome::full || total_.load(std::memory_order_relaxed) < options_.total_max) return outcome;
  // Full over all keys: idle keys may still hold expired entries. Drop them and try once more.
  forget_expired_everywhere(now_s);
  return try_remember(key_id, nonce, expires_at_s, now_s);
}

NonceOutcome NonceMemory::try_remember(std::string_view key_id, std::string_view nonce, int64_t expires_at_s,
                                       int64_t now_s) {
  Stripe& stripe = stripes_[std::hash<std::string_view>{}(key_id) % kStripes];
  std::lock_guard lock(stripe.mutex);
  auto found = stripe.keys.find(std::string(key_id));
  if (found == stripe.keys.end()) found = stripe.keys.emplace(std::string(key_id), KeyNonces{}).first;
  KeyNonces& nonces = found->second;
  forget_expired(nonces, now_s);
  Digest digest = digest_of(nonce);
  if (nonces.live.contains(digest)) return NonceOutcome::reused;
  if (nonces.live.size() >= options_.per_key_max || total_.load(std::memory_order_relaxed) >= options_.total_max) {
    return NonceOutcome::full;
  }
  nonces.live.insert(digest);
  nonces.by_expiry.push(Expiry{expires_at_s, digest});
  total_.fetch_add(1, std::memory_order_relaxed);
  return NonceOutcome::fresh;
}

}  // namespace mpay::merchant
