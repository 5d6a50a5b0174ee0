// Keyed BLAKE2b-256 (libsodium crypto_generichash with a 32-byte key) with domain separation: the
// deterministic, unforgeable fingerprint of a value under a server key. Used to look phone numbers
// up without storing them in the clear (same phone -> same digest under the same lookup key) and to
// store tokens as digests only.
//
// Exactly what is hashed, so that digests can be recomputed elsewhere: BLAKE2b with a 32-byte
// output, keyed with the key's 32 bytes, over
//     u64_le(len(domain)) || domain || message
// (the length prefix keeps ("ab", "c") and ("a", "bc") apart). Changing this changes every
// stored digest; the known-answer test pins it.
//
// A digest is only as stable as its key: after rotating a lookup or token key, digests stored
// under the old key match only when recomputed with the old key id (keep the key id next to the
// digest, or re-hash).
//
// Threads: safe from any thread (no shared state beyond the read-only KeyRing; see key_ring.h for
// rotation). Failure: an unknown key_id is a programmer error and aborts (use current_id(), or
// check find() first for an id read from storage).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "security/key_ring.h"

namespace mpay::security {

inline constexpr size_t kDigestBytes = 32;
using Digest = std::array<uint8_t, kDigestBytes>;  // the same type as sha256.h's Sha256Digest

Digest keyed_hash(const KeyRing& keys, uint32_t key_id, std::string_view domain,
                  std::string_view message);

// Constant time in the digests' contents (sodium_memcmp): safe to compare a secret-derived digest
// with an attacker-chosen one.
bool digests_equal(const Digest& a, const Digest& b);

}  // namespace mpay::security
