#include "security/keyed_hash.h"

#include <sodium.h>

#include "core/check.h"
#include "security/keyed_hash_internal.h"

namespace mpay::security {

static_assert(kDigestBytes >= crypto_generichash_BYTES_MIN &&
              kDigestBytes <= crypto_generichash_BYTES_MAX);
static_assert(Key::kBytes >= crypto_generichash_KEYBYTES_MIN &&
              Key::kBytes <= crypto_generichash_KEYBYTES_MAX);

namespace internal {

Digest keyed_hash_of_fields(const Key& key, std::initializer_list<std::string_view> fields) {
  crypto_generichash_state state;
  MPAY_CHECK(crypto_generichash_init(&state, key.bytes(), Key::kBytes, kDigestBytes) == 0,
             "crypto_generichash_init failed");
  size_t remaining = fields.size();
  for (std::string_view field : fields) {
    if (--remaining > 0) {
      uint64_t length = field.size();
      unsigned char length_le[sizeof(length)];
      for (size_t i = 0; i < sizeof(length); ++i) {
        length_le[i] = static_cast<unsigned char>(length >> (8 * i));
      }
      crypto_generichash_update(&state, length_le, sizeof(length_le));
    }
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                              field.size());
  }
  Digest digest{};
  MPAY_CHECK(crypto_generichash_final(&state, digest.data(), digest.size()) == 0,
             "crypto_generichash_final failed");
  sodium_memzero(&state, sizeof(state));
  return digest;
}

}  // namespace internal

Digest keyed_hash(const KeyRing& keys, uint32_t key_id, std::string_view domain,
                  std::string_view message) {
  const Key* key = keys.find(key_id);
  MPAY_CHECK(key != nullptr, "keyed_hash with a key id the key ring does not hold");
  return internal::keyed_hash_of_fields(*key, {domain, message});
}

bool digests_equal(const Digest& a, const Digest& b) {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mpay::security
