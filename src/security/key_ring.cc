#include "security/key_ring.h"

#include <sodium.h>

#include <algorithm>
#include <limits>

#include "core/check.h"
#include "security/key_file_internal.h"
#include "security/sodium_init.h"

namespace mpay::security {
namespace {

constexpr size_t kPurposeCharsMax = 32;

bool valid_purpose(std::string_view purpose) {
  return !purpose.empty() && purpose.size() <= kPurposeCharsMax &&
         std::all_of(purpose.begin(), purpose.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

}  // namespace

Key::Key(Passkey /*only a KeyRing*/, uint32_t id)
    : id_(id), bytes_(static_cast<unsigned char*>(sodium_malloc(kBytes))) {
  MPAY_CHECK(bytes_ != nullptr, "sodium_malloc failed: out of memory for a key");
  sodium_memzero(bytes_, kBytes);
}

// sodium_free makes the memory writable again, zeroes it, unlocks and releases it.
Key::~Key() { sodium_free(bytes_); }

void Key::make_read_only() {
  MPAY_CHECK(sodium_mprotect_readonly(bytes_) == 0, "cannot make key memory read-only");
}

KeyRing::KeyRing(std::string directory, std::string purpose,
                 std::vector<std::unique_ptr<Key>> keys)
    : directory_(std::move(directory)), purpose_(std::move(purpose)), keys_(std::move(keys)) {}

KeyRing::~KeyRing() = default;

Result<KeyRing> KeyRing::open(const std::string& directory, std::string_view purpose,
                              RandomSource& random) {
  ensure_sodium_initialized();
  MPAY_CHECK(valid_purpose(purpose), "key purpose must be 1 to 32 characters of [a-z0-9_]");
  Status usable = internal::ensure_key_directory(directory);
  if (!usable) return usable.error();

  Result<std::vector<uint32_t>> ids = internal::list_key_ids(directory, purpose);
  if (!ids) return ids.error();
  if (ids->empty()) {
    Key first(Key::Passkey(), 1);
    random.fill(first.writable_bytes(), Key::kBytes);
    Status created = internal::create_key_file(directory, purpose, 1, first.bytes(), random);
    // Another process starting at the same moment may have created key 1 first: use theirs.
    if (!created && created.error().code != internal::kKeyFileExists) return created.error();
    ids = internal::list_key_ids(directory, purpose);
    if (!ids) return ids.error();
  }

  std::vector<std::unique_ptr<Key>> keys;
  for (uint32_t id : *ids) {
    auto key = std::make_unique<Key>(Key::Passkey(), id);
    Status read = internal::read_key_file(internal::key_file_path(directory, purpose, id),
                                          key->writable_bytes());
    if (!read) return read.error();
    key->make_read_only();
    keys.push_back(std::move(key));
  }
  MPAY_CHECK(!keys.empty(), "a key ring holds at least its first key");
  return KeyRing(directory, std::string(purpose), std::move(keys));
}

uint32_t KeyRing::current_id() const {
  MPAY_CHECK(!keys_.empty(), "KeyRing used after being moved from");
  return keys_.back()->id();
}

const Key* KeyRing::find(uint32_t id) const {
  auto found = std::lower_bound(keys_.begin(), keys_.end(), id,
                                [](const std::unique_ptr<Key>& key, uint32_t wanted) {
                                  return key->id() < wanted;
                                });
  if (found == keys_.end() || (*found)->id() != id) return nullptr;
  return found->get();
}

Result<uint32_t> KeyRing::rotate(RandomSource& random) {
  uint32_t current = current_id();
  if (current == std::numeric_limits<uint32_t>::max()) {
    return Error("key_id_exhausted", "the " + purpose_ + " key id cannot grow past " +
                                         std::to_string(current));
  }
  uint32_t id = current + 1;
  auto key = std::make_unique<Key>(Key::Passkey(), id);
  random.fill(key->writable_bytes(), Key::kBytes);
  Status created = internal::create_key_file(directory_, purpose_, id, key->bytes(), random);
  if (!created && created.error().code == internal::kKeyFileExists) {
    return Error("key_rotation_conflict",
                 created.error().message + ": another process rotated the " + purpose_ +
                     " keys; reopen the key ring");
  }
  if (!created) return created.error();
  key->make_read_only();
  keys_.push_back(std::move(key));
  return id;
}

}  // namespace mpay::security
