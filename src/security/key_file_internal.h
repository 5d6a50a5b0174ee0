// Internal to mpay_security: the key directory and key files on disk, for KeyRing (key_ring.h
// documents the format, the modes and the error codes). Works on raw buffers of Key::kBytes so
// that key material goes straight between the file and the KeyRing's locked memory; every
// intermediate buffer is wiped before returning.
//
// Threads: no shared state; callers serialize operations on the same directory as KeyRing says.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/random.h"

namespace mpay::security::internal {

// Error code create_key_file returns when the key's file name already exists.
inline constexpr const char* kKeyFileExists = "key_file_exists";

// Creates `directory` (and missing parents) with mode 0700 if it does not exist; refuses a
// directory writable by group or others.
Status ensure_key_directory(const std::string& directory);

// The ids of the purpose's key files in `directory`, ascending.
Result<std::vector<uint32_t>> list_key_ids(const std::string& directory, std::string_view purpose);

std::string key_file_path(const std::string& directory, std::string_view purpose, uint32_t id);

// Reads the key file at `path` into `material` (Key::kBytes bytes), checking mode and format.
Status read_key_file(const std::string& path, unsigned char* material);

// Writes `material` as the key file of (purpose, id) in `directory`: temporary file, fsync, link
// to the final name, fsync of the directory. `random` names the temporary file. Never replaces an
// existing file: returns kKeyFileExists instead.
Status create_key_file(const std::string& directory, std::string_view purpose, uint32_t id,
                       const unsigned char* material, RandomSource& random);

}  // namespace mpay::security::internal
