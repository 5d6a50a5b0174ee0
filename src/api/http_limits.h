// The fixed limits of the HTTP layer, declared in one place so that a reviewer can see every bound
// the server enforces. Per-deployment limits (ports, timeouts, body caps) live in
// HttpServerOptions; the constants here are the ones that are part of the protocol contract or of
// the code's safety. Plain constants: safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mpay::api {

// X-Request-Id: a client-supplied id is kept only if it is short and made of characters that are
// safe to echo and to log ([A-Za-z0-9._-]); otherwise the server generates one.
inline constexpr size_t kRequestIdCharsMax = 128;
// Generated request ids are this many random bytes, printed as lowercase hex.
inline constexpr size_t kRequestIdRandomBytes = 16;

// After answering with "Connection: close" the server half-closes and keeps reading (and
// discarding) for a moment, so that a client still sending an oversized body receives the error
// response instead of a TCP reset that would destroy it in flight.
inline constexpr uint32_t kCloseLingerMs = 1000;
inline constexpr size_t kCloseLingerBytesMax = 4 * 1024 * 1024;
inline constexpr size_t kCloseLingerReadBytes = 16 * 1024;

// When accept() fails for a reason other than shutdown (e.g. out of file descriptors) the acceptor
// waits this long before trying again instead of spinning.
inline constexpr uint32_t kAcceptRetryDelayMs = 100;

// How many bytes the server asks the socket for at once while waiting for the first bytes of a
// request on an idle keep-alive connection.
inline constexpr size_t kIdleReadBytes = 4 * 1024;

// Request headers whose single value decides who is calling or whether a request repeats an
// earlier one: the user's or operator's bearer token, the idempotency key, and the four headers of
// a merchant signature. A request that carries one of them more than once is refused (400
// header_repeated, field = the header's name) before it is routed, authorized or read further:
// taking the first (or the last, or a join) would let a proxy, a log and the server each read a
// different request from the same bytes. Matching is case-insensitive; the spellings here are the
// ones the modules that read them use (they check so with static_assert).
inline constexpr std::array<std::string_view, 6> kSingleValuedHeaders = {
    "Authorization",    "Idempotency-Key", "X-Mpay-Key",
    "X-Mpay-Timestamp", "X-Mpay-Nonce",    "X-Mpay-Signature"};

constexpr bool is_single_valued_header(std::string_view name) {
  for (std::string_view header : kSingleValuedHeaders) {
    if (header == name) return true;
  }
  return false;
}

// Strict JSON request bodies: nesting depth (objects and arrays) and string length defaults.
inline constexpr size_t kJsonDepthMaxDefault = 32;
inline constexpr size_t kJsonStringCharsMaxDefault = 4096;

}  // namespace mpay::api
