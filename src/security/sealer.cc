#include "security/sealer.h"

#include <sodium.h>

#include "core/check.h"
#include "security/sodium_init.h"

namespace mpay::security {

static_assert(kSealedNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kSealedTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(Key::kBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kSealPlaintextBytesMax <= crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX);

namespace {

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* bytes_of(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

void put_header(uint32_t key_id, unsigned char* out) {
  out[0] = kSealedFormatVersion;
  for (size_t i = 0; i < 4; ++i) out[1 + i] = static_cast<unsigned char>(key_id >> (8 * i));
}

// What the AEAD authenticates besides the ciphertext: the header (fixed size, so the boundary
// with the caller's data is unambiguous) followed by the caller's associated data.
std::string authenticated_data(std::string_view header, std::string_view associated_data) {
  std::string data;
  data.reserve(header.size() + associated_data.size());
  data.append(header);
  data.append(associated_data);
  return data;
}

}  // namespace

Sealer::Sealer(const KeyRing& pii_keys, RandomSource& random) : keys_(&pii_keys), random_(&random) {
  ensure_sodium_initialized();
}

std::string Sealer::seal(std::string_view plaintext, std::string_view associated_data) const {
  MPAY_CHECK(plaintext.size() <= kSealPlaintextBytesMax, "plaintext too large to seal");
  uint32_t key_id = keys_->current_id();
  const Key* key = keys_->find(key_id);

  std::string sealed(kSealedOverheadBytes + plaintext.size(), '\0');
  unsigned char* out = bytes_of(sealed);
  put_header(key_id, out);
  unsigned char* nonce = out + kSealedHeaderBytes;
  random_->fill(nonce, kSealedNonceBytes);
  unsigned char* ciphertext = nonce + kSealedNonceBytes;

  std::string authenticated = authenticated_data(
      std::string_view(sealed).substr(0, kSealedHeaderBytes), associated_data);
  unsigned long long ciphertext_bytes = 0;
  MPAY_CHECK(crypto_aead_xchacha20poly1305_ietf_encrypt(
                 ciphertext, &ciphertext_bytes, bytes_of(plaintext), plaintext.size(),
                 bytes_of(authenticated), authenticated.size(), nullptr, nonce, key->bytes()) == 0,
             "crypto_aead_xchacha20poly1305_ietf_encrypt failed");
  MPAY_CHECK(ciphertext_bytes == plaintext.size() + kSealedTagBytes, "unexpected ciphertext size");
  return sealed;
}

Result<uint32_t> Sealer::key_id_of(std::string_view sealed) {
  if (sealed.size() < kSealedOverheadBytes) {
    return Error("sealed_data_invalid", "sealed data is shorter than " +
                                            std::to_string(kSealedOverheadBytes) + " bytes");
  }
  const unsigned char* in = bytes_of(sealed);
  if (in[0] != kSealedFormatVersion) {
    return Error("sealed_data_invalid",
                 "sealed data has unknown format version " + std::to_string(in[0]));
  }
  uint32_t key_id = 0;
  for (size_t i = 0; i < 4; ++i) key_id |= static_cast<uint32_t>(in[1 + i]) << (8 * i);
  return key_id;
}

Result<std::string> Sealer::open(std::string_view sealed,
                                 std::string_view associated_data) const {
  Result<uint32_t> key_id = key_id_of(sealed);
  if (!key_id) return key_id.error();
  const Key* key = keys_->find(*key_id);
  if (key == nullptr) {
    return Error("sealed_data_unknown_key",
                 "sealed under key " + std::to_string(*key_id) + ", which the key ring does not hold");
  }
  const unsigned char* nonce = bytes_of(sealed) + kSealedHeaderBytes;
  const unsigned char* ciphertext = nonce + kSealedNonceBytes;
  size_t ciphertext_bytes = sealed.size() - kSealedHeaderBytes - kSealedNonceBytes;

  std::string authenticated =
      authenticated_data(sealed.substr(0, kSealedHeaderBytes), associated_data);
  std::string plaintext(ciphertext_bytes - kSealedTagBytes, '\0');
  unsigned long long plaintext_bytes = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          bytes_of(plaintext), &plaintext_bytes, nullptr, ciphertext, ciphertext_bytes,
          bytes_of(authenticated), authenticated.size(), nonce, key->bytes()) != 0) {
    return Error("sealed_data_tampered",
                 "sealed data failed authentication (modified, or opened with the wrong "
                 "associated data)");
  }
  MPAY_CHECK(plaintext_bytes == plaintext.size(), "unexpected plaintext size");
  return plaintext;
}

}  // namespace mpay::security
