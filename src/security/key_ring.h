// Server keys of one purpose ("pin", "pii", "lookup", "token", ...), kept in files outside the
// database, so that a stolen database alone reveals no PIN, no personal data and no token.
//
// On disk: DIR/<purpose>-<id>.key, one file per key, id a decimal number from 1 without leading
// zeros. A file holds the key's 32 bytes as 64 hexadecimal characters followed by one newline
// (hex rather than raw so that operators can back keys up and compare them with ordinary tools).
// Files are mode 0600 and DIR is mode 0700. A new key file is written under a temporary name
// (created with O_CREAT|O_EXCL, mode 0600, fsynced) and then hard-linked to its final name, which
// fails rather than replaces if the name exists; the directory is then fsynced. So a crash never
// leaves a half-written key under a key's name, and two processes can never overwrite each
// other's key. Files of other purposes, and names starting with '.', are ignored.
//
// The current key is the one with the highest id: new hashes and ciphertexts use it. rotate()
// adds id = current + 1 and makes it current; older keys stay, so that what they protected can
// still be verified or decrypted (and re-protected under the new key by the caller).
//
// In memory each key lives in its own sodium_malloc allocation: guard pages around it, locked
// against swapping where the system allows (RLIMIT_MEMLOCK), excluded from core dumps, read-only
// once loaded, and wiped (sodium_free zeroes it) when the KeyRing is destroyed.
//
// Threads: after open(), any number of threads may call current_id() and find() and use the keys
// concurrently. rotate() needs external exclusion: no other call on the same KeyRing (nor a
// PinHasher, Sealer or hash using it) may run during it. The intended use is offline rotation
// (operator tool), after which the server restarts.
//
// Failure: open() and rotate() return an Error whose message names the file and, where the
// operator can fix it, the command to run; messages never contain key material. Codes:
//   key_directory_unusable  DIR cannot be created, read or synced, or is not a directory
//   key_directory_insecure  DIR is writable by group or others (someone could plant a key)
//   key_file_insecure       a key file is readable or writable by group or others
//   key_file_invalid        a key file has the wrong size or format, or a malformed name
//   key_file_unreadable     a key file cannot be opened or read
//   key_file_unwritable     a new key file cannot be written
//   key_rotation_conflict   the next key's file already exists (someone else rotated: reopen)
//   key_id_exhausted        the current id is already the largest possible
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/random.h"

namespace mpay::security {

// One secret key. Only a KeyRing makes them; a Key never moves, so pointers to it stay valid as
// long as its KeyRing lives (also across moves of the KeyRing and across rotate()).
class Key {
 public:
  static constexpr size_t kBytes = 32;

  // Only a KeyRing can make a Passkey, hence a Key (while std::make_unique still works).
  class Passkey {
    friend class KeyRing;
    Passkey() = default;
  };
  // Allocates kBytes of zeroed, writable secure memory; the KeyRing fills it, then locks it.
  Key(Passkey, uint32_t id);
  ~Key();
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;

  uint32_t id() const { return id_; }
  // kBytes bytes of key material. Never log, print or copy them outside locked memory.
  const unsigned char* bytes() const { return bytes_; }

 private:
  friend class KeyRing;
  unsigned char* writable_bytes() { return bytes_; }
  void make_read_only();

  uint32_t id_;
  unsigned char* bytes_;
};

class KeyRing {
 public:
  // purpose: 1 to 32 characters from [a-z0-9_] (a programmer's constant; anything else aborts).
  // Creates DIR (and missing parents, mode 0700) if needed, loads every key of the purpose, and
  // creates key 1 (from `random`) if there is none yet.
  static Result<KeyRing> open(const std::string& directory, std::string_view purpose,
                              RandomSource& random);

  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  ~KeyRing();

  // The highest id: the key new hashes and ciphertexts use. At least 1.
  uint32_t current_id() const;
  // The key with this id, or nullptr if the ring has none (e.g. an id read from a tampered row).
  const Key* find(uint32_t id) const;
  // Writes a new key with id current_id() + 1 and makes it current. Returns its id.
  Result<uint32_t> rotate(RandomSource& random);

 private:
  KeyRing(std::string directory, std::string purpose, std::vector<std::unique_ptr<Key>> keys);

  std::string directory_;
  std::string purpose_;
  std::vector<std::unique_ptr<Key>> keys_;  // ascending by id, never empty (except moved from)
};

}  // namespace mpay::security
