// The merchant request signature (docs/merchant-api.md), as pure functions: the canonical string
// and its HMAC-SHA256. The API's verifier and any client (tests, the webhook sender, which signs
// the same way) share them.
//
//   canonical = METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA-256(body))
//   signature = hex(HMAC-SHA256(key = secret text, message = canonical))
//
// METHOD upper case; PATH_WITH_QUERY the request target exactly as sent (no decoding, no
// reordering); TIMESTAMP Unix seconds in decimal; hex lower case. Pure and thread-safe
// (security/sha256.h).
#pragma once

#include <string>
#include <string_view>

namespace mpay::merchant {

inline constexpr size_t kSignatureHexChars = 64;

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

std::string canonical_request(std::string_view method, std::string_view target, std::string_view timestamp,
                              std::string_view nonce, std::string_view body);

// hmac_sha256_hex(secret, canonical_request(...)).
std::string sign_request(std::string_view secret, std::string_view method, std::string_view target,
                         std::string_view timestamp, std::string_view nonce, std::string_view body);

// Compares two strings in time that depends only on their lengths (signatures are public length).
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace mpay::merchant
