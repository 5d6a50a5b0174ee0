// Bearer tokens (sessions, one-time links): random, handed to the client once, stored only as a
// keyed digest (KeyRing purpose "token"), so a stolen database holds no usable token.
//
// random_token: `bytes` random bytes from `random` (pass SystemRandom in production), encoded
// base64url without padding (RFC 4648 section 5: [A-Za-z0-9_-]); 32 bytes give 43 characters.
// token_digest: keyed_hash(token_keys, token_keys.current_id(), "token", token); store it (e.g. as
// to_hex) and look tokens up by it. After rotating the token key, digests stored under the old key
// no longer match: rotating it signs every session out.
//
// Threads: safe from any thread (RandomSource must be thread-safe; see key_ring.h for rotation).
// Failure: a `bytes` outside [kTokenBytesMin, kTokenBytesMax] is a programmer error (abort).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/random.h"
#include "security/key_ring.h"
#include "security/keyed_hash.h"
#include "security/sha256.h"  // to_hex, for storing a digest

namespace mpay::security {

inline constexpr size_t kTokenBytesDefault = 32;
inline constexpr size_t kTokenBytesMin = 16;  // 128 bits: not guessable
inline constexpr size_t kTokenBytesMax = 1024;

std::string random_token(RandomSource& random, size_t bytes = kTokenBytesDefault);

Digest token_digest(const KeyRing& token_keys, std::string_view token);

}  // namespace mpay::security
