// Checking a user's PIN the way a bank's HSM does: a keyed hash under a server key that lives
// outside the database (KeyRing purpose "pin").
//
// This is NOT a password hash, and needs none of a password hash's slowness: a 6-digit PIN has
// only 10^6 values, so no amount of stretching would stop someone holding the stored hashes from
// trying them all. What stops offline guessing is the key: without the key file, a stored PinHash
// is useless. Online guessing is stopped by the caller's lockout after a few wrong tries.
// Keep the pin key directory out of database backups.
//
// Stored form: PinHash{key_id, digest}, digest = keyed BLAKE2b-256 under key `key_id` over the
// fields {"pin", user_id, pin} (framing in keyed_hash_internal.h). The user id is mixed in so that
// two users with the same PIN have different digests; the caller must pass the same, stable
// text form of the user id (e.g. its canonical UUID) when hashing and when verifying. PIN format
// rules (6 digits) are the caller's: any bytes are hashed as given.
//
// Threads: const methods, safe from any thread while the KeyRing is not being rotated. The
// KeyRing must outlive the PinHasher and must not be moved while it is in use.
// Failure: none; a stored key id the ring does not hold is a mismatch.
#pragma once

#include <cstdint>
#include <string_view>

#include "security/key_ring.h"
#include "security/keyed_hash.h"

namespace mpay::security {

struct PinHash {
  uint32_t key_id = 0;
  Digest digest{};
};

class PinHasher {
 public:
  enum class PinCheck {
    match,
    mismatch,
    match_needs_rehash,  // matched under an older key: the caller should store hash() anew
  };

  explicit PinHasher(const KeyRing& pin_keys);

  // Under the current key.
  PinHash hash(std::string_view user_id, std::string_view pin) const;
  // Compares digests in constant time. The early answer for an unknown key id reveals nothing
  // about the PIN.
  PinCheck verify(std::string_view user_id, std::string_view pin, const PinHash& stored) const;

 private:
  const KeyRing* keys_;
};

using PinCheck = PinHasher::PinCheck;

}  // namespace mpay::security
