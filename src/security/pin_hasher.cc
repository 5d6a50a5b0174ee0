#include "security/pin_hasher.h"

#include "security/keyed_hash_internal.h"
#include "security/sodium_init.h"

namespace mpay::security {
namespace {

constexpr std::string_view kPinDomain = "pin";

Digest pin_digest(const Key& key, std::string_view user_id, std::string_view pin) {
  return internal::keyed_hash_of_fields(key, {kPinDomain, user_id, pin});
}

}  // namespace

PinHasher::PinHasher(const KeyRing& pin_keys) : keys_(&pin_keys) { ensure_sodium_initialized(); }

PinHash PinHasher::hash(std::string_view user_id, std::string_view pin) const {
  uint32_t key_id = keys_->current_id();
  return PinHash{key_id, pin_digest(*keys_->find(key_id), user_id, pin)};
}

PinCheck PinHasher::verify(std::string_view user_id, std::string_view pin,
                           const PinHash& stored) const {
  const Key* key = keys_->find(stored.key_id);
  if (key == nullptr) return PinCheck::mismatch;
  if (!digests_equal(pin_digest(*key, user_id, pin), stored.digest)) return PinCheck::mismatch;
  return stored.key_id == keys_->current_id() ? PinCheck::match : PinCheck::match_needs_rehash;
}

}  // namespace mpay::security
