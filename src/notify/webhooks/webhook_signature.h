// X-Mpay-Signature: how a receiver knows a webhook came from mpay and was not replayed late.
//
//   X-Mpay-Signature: t=<unix seconds>,v1=<lower-case hex HMAC-SHA256(secret, "<t>.<body>")>
//
// t is the time of the attempt (each retry is signed afresh), so receivers can reject old
// messages. docs/webhooks.md has a worked example reproducible with openssl. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mpay::notify::webhooks {

inline constexpr std::string_view kSignatureHeader = "X-Mpay-Signature";

// Lower-case hex of HMAC-SHA256(secret, std::to_string(unix_seconds) + "." + body).
std::string signature_hex(std::string_view secret, int64_t unix_seconds, std::string_view body);

// "t=<unix_seconds>,v1=<signature_hex>".
std::string signature_header_value(std::string_view secret, int64_t unix_seconds, std::string_view body);

}  // namespace mpay::notify::webhooks
