// Base32 (RFC 4648 section 6 alphabet "A-Z2-7"), upper case, without '=' padding: how a device
// secret is handed to the phone app once, at provisioning.
//
// Threads: pure functions. Failure: base32_decode returns "base32_invalid" for a character outside
// the alphabet (lower case and '=' included), an impossible length (8n+1, 8n+3, 8n+6 characters) or
// non-zero unused bits in the last character (so every byte string has exactly one encoding).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay::qr {

std::string base32_encode(std::string_view bytes);
Result<std::string> base32_decode(std::string_view text);

}  // namespace mpay::qr
