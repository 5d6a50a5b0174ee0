// Encryption at rest for personal data (name, document number): libsodium's AEAD
// XChaCha20-Poly1305-IETF under a key from a KeyRing of purpose "pii", kept outside the database.
//
// Sealed form (binary; store it in a BLOB column, or encode it for a text one):
//     version (1 byte, = 1) | key id (u32 little-endian) | nonce (24 random bytes) | ciphertext+tag
// so it is kSealedOverheadBytes longer than the plaintext. The 24-byte random nonce is large
// enough to never repeat by chance under one key. The version byte and key id are authenticated
// along with the caller's associated data.
//
// Associated data binds a ciphertext to where it belongs: pass the row and column, e.g.
// "user:42:name". It is not stored; open() needs the same bytes, so a ciphertext copied into
// another row or column (or the name swapped with the document number) fails to open instead of
// decrypting to someone else's data.
//
// Rotation: seal() always uses the current key; open() uses the key the sealed data names, so data
// sealed under older keys still opens. To retire an old key, re-seal what key_id_of() shows was
// sealed under it.
//
// Threads: const methods, safe from any thread while the KeyRing is not being rotated (the
// RandomSource must be thread-safe, as core's are). The KeyRing and RandomSource must outlive the
// Sealer and the KeyRing must not be moved while it is in use.
// Failure: open() and key_id_of() return errors; messages never contain plaintext or keys.
//   sealed_data_invalid      shorter than the overhead, or an unknown version byte
//   sealed_data_unknown_key  the key id is not in the ring (a key file is missing, or tampering)
//   sealed_data_tampered     authentication failed: modified bytes or different associated data
// seal() has no failure; a plaintext over kSealPlaintextBytesMax is a programmer error (abort).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/random.h"
#include "security/key_ring.h"

namespace mpay::security {

inline constexpr uint8_t kSealedFormatVersion = 1;
inline constexpr size_t kSealedHeaderBytes = 1 + 4;  // version, key id
inline constexpr size_t kSealedNonceBytes = 24;
inline constexpr size_t kSealedTagBytes = 16;
inline constexpr size_t kSealedOverheadBytes =
    kSealedHeaderBytes + kSealedNonceBytes + kSealedTagBytes;
// Far above any personal-data column; equal to the HTTP layer's absolute body cap.
inline constexpr size_t kSealPlaintextBytesMax = 1 << 20;

class Sealer {
 public:
  Sealer(const KeyRing& pii_keys, RandomSource& random);

  std::string seal(std::string_view plaintext, std::string_view associated_data) const;
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

  // The id of the key `sealed` was sealed under (not authenticated until open() succeeds), to
  // find data to re-seal after a rotation. Error: sealed_data_invalid.
  static Result<uint32_t> key_id_of(std::string_view sealed);

 private:
  const KeyRing* keys_;
  RandomSource* random_;
};

}  // namespace mpay::security
