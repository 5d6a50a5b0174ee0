// Internal to mpay_security: keyed BLAKE2b-256 over several fields, for keyed_hash() and the
// PinHasher. Every field but the last is preceded by its length as a u64 little-endian, so that
// field boundaries cannot be shifted: keyed_hash(domain, message) hashes the fields
// {domain, message}; the PIN hash hashes {"pin", user id, pin}. The fields are streamed into the
// hash state (no concatenated copy of a PIN is made) and the state is wiped afterwards.
// Threads: no shared state.
#pragma once

#include <initializer_list>
#include <string_view>

#include "security/keyed_hash.h"

namespace mpay::security::internal {

Digest keyed_hash_of_fields(const Key& key, std::initializer_list<std::string_view> fields);

}  // namespace mpay::security::internal
