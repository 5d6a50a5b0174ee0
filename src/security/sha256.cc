#include "security/sha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <memory>

#include "core/check.h"
#include "security/sodium_init.h"

namespace mpay::security {
namespace {

// Fetched once, kept for the life of the process (freeing them at exit would race with threads
// still hashing).
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const algorithm = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    MPAY_CHECK(fetched != nullptr, "OpenSSL has no SHA256");
    return fetched;
  }();
  return algorithm;
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const algorithm = [] {
    EVP_MAC* fetched = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    MPAY_CHECK(fetched != nullptr, "OpenSSL has no HMAC");
    return fetched;
  }();
  return algorithm;
}

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct MacContextFree {
  void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};

EVP_MD_CTX* thread_digest_context() {
  thread_local std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  MPAY_CHECK(context != nullptr, "EVP_MD_CTX_new failed");
  return context.get();
}

// An HMAC context set to SHA-256 once; every call re-keys it (EVP_MAC_init with a key). Between
// calls it keeps the last key's padded state, in a process that holds the merchants' secrets in
// memory anyway.
EVP_MAC_CTX* thread_hmac_context() {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacContextFree> context = [] {
    std::unique_ptr<EVP_MAC_CTX, MacContextFree> made(EVP_MAC_CTX_new(hmac_algorithm()));
    MPAY_CHECK(made != nullptr, "EVP_MAC_CTX_new failed");
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                           OSSL_PARAM_construct_end()};
    MPAY_CHECK(EVP_MAC_CTX_set_params(made.get(), params) == 1, "HMAC: SHA256 refused");
    return made;
  }();
  return context.get();
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

Sha256Digest sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* context = thread_digest_context();
  bool ok = EVP_DigestInit_ex2(context, sha256_algorithm(), nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(context, part.data(), part.size()) == 1;
  }
  Sha256Digest digest{};
  unsigned int size = 0;
  ok = ok && EVP_DigestFinal_ex(context, digest.data(), &size) == 1;
  MPAY_CHECK(ok && size == digest.size(), "SHA-256 failed");
  return digest;
}

Sha256Digest hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  EVP_MAC_CTX* context = thread_hmac_context();
  // To OpenSSL a null key means "keep the previous call's key", and an empty string_view may
  // have a null data(): the empty key goes in as a real pointer.
  static const unsigned char kNoKey = 0;
  const unsigned char* key_bytes = key.empty() ? &kNoKey : bytes(key);
  bool ok = EVP_MAC_init(context, key_bytes, key.size(), nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_MAC_update(context, bytes(part), part.size()) == 1;
  }
  Sha256Digest mac{};
  size_t size = 0;
  ok = ok && EVP_MAC_final(context, mac.data(), &size, mac.size()) == 1;
  MPAY_CHECK(ok && size == mac.size(), "HMAC-SHA256 failed");
  return mac;
}

std::string to_hex(const Sha256Digest& digest) {
  ensure_sodium_initialized();
  std::string hex(digest.size() * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.resize(digest.size() * 2);
  return hex;
}

}  // namespace mpay::security
