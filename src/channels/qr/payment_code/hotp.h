// HOTP (RFC 4226) with HMAC-SHA256 instead of HMAC-SHA1, as RFC 6238 allows: the one-time value of
// a secret at a counter.
//
//   mac    = HMAC-SHA256(secret, counter as 8 bytes big-endian)
//   offset = mac[31] & 0x0F
//   value  = (mac[offset..offset+3] as a big-endian integer) & 0x7FFFFFFF   (dynamic truncation)
//   OTP    = value mod 10^digits
//
// The HMAC is the platform's one (security/sha256.h), which the merchant and webhook signatures
// use too.
//
// Threads: pure functions, safe from any thread. Failure: none; digits outside 1..9 is a
// programmer error (abort).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mpay::qr {

using Sha256Mac = std::array<uint8_t, 32>;

// HMAC-SHA256 of `message` under `key` (any length).
Sha256Mac hmac_sha256(std::string_view key, std::string_view message);

// RFC 4226 section 5.3: the 31-bit number picked out of the MAC.
uint32_t dynamic_truncation(const Sha256Mac& mac);

// HOTP-SHA256 of `secret` at `counter`, as a number below 10^digits.
uint32_t hotp_sha256(std::string_view secret, uint64_t counter, int digits);

}  // namespace mpay::qr
