// Checks a signed merchant request (docs/merchant-api.md) before anything of it is processed.
//
// In this order, the first failure answering (codes are stable; the HTTP layer answers 401
// unless noted):
//   signature_headers_missing  a header is absent (field: the header's name)
//   signature_header_invalid   timestamp not 1..12 decimal digits, nonce not 1..64 of
//                              [A-Za-z0-9_-], signature not 64 lower-case hex (field: the header)
//   timestamp_skew             |now - timestamp| > 300 s
//   timestamp_before_start     signed before this process started or in the second it started
//                              in (see "Restarts")
//   key_unknown                no such key id
//   key_revoked                the key was revoked
//   signature_invalid          the HMAC does not match (compared in constant time)
//   merchant_suspended         an operator suspended the merchant (valid signature, no service)
//   nonce_reused               this key has used this nonce within the window
//   store_busy (503)           the nonce memory is full (retry in a few seconds)
//   store_error (503)          the future-timestamp reservation could not be written
// Only a request with a valid signature uses up its nonce, so nobody without the secret can burn
// a merchant's nonces.
//
// Restarts. Nonces live in memory (nonce_memory.h). A request accepted before a restart is
// refused after it because (1) any timestamp up to and including the second this process started
// in is refused (timestamp_before_start: clients sign again with a fresh timestamp; the start
// second too, since the process before may have accepted a request of that same second just
// before it died), and (2) a timestamp that
// was ahead of the server's clock when accepted was first covered by a durable per-key
// reservation (MerchantRepository::reserve_key_future, raised kFutureReserveAheadS beyond it in one
// write so that a client whose clock runs ahead costs one write per key per 30 s, not per
// request); after a restart, timestamps up to the reservation loaded at start are refused too.
// Requests signed with the server's clock or behind it, the normal case, never write. This holds
// while the server's wall clock does not step backwards across a restart.
//
// Threads: verify() is called concurrently from the HTTP threads. It blocks only for the rare
// reservation write.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "payments/merchant/merchant_directory.h"
#include "payments/merchant/merchant_repository.h"
#include "payments/merchant/nonce_memory.h"

namespace mpay::merchant {

inline constexpr int64_t kTimestampSkewMaxS = 300;
inline constexpr int64_t kFutureReserveAheadS = 30;
inline constexpr size_t kTimestampDigitsMax = 12;

inline constexpr std::string_view kKeyHeader = "X-Mpay-Key";
inline constexpr std::string_view kTimestampHeader = "X-Mpay-Timestamp";
inline constexpr std::string_view kNonceHeader = "X-Mpay-Nonce";
inline constexpr std::string_view kSignatureHeader = "X-Mpay-Signature";

// A request as the verifier sees it; views valid for the call.
struct SignedRequest {
  std::string_view method;  // upper case, "GET"
  std::string_view target;  // the raw request target, "/v1/merchant?x=1"
  std::string_view body;
  std::optional<std::string_view> key_id, timestamp, nonce, signature;  // the four headers
};

class RequestVerifier {
 public:
  // `started_at_s`: the second this process started in (Unix seconds, rounded down); timestamps up
  // to and including it are refused. All references must outlive the verifier.
  RequestVerifier(MerchantDirectory& directory, NonceMemory& nonces, MerchantRepository& repository,
                  Clock& clock, int64_t started_at_s)
      : directory_(directory), nonces_(nonces), repository_(repository), clock_(clock), started_at_s_(started_at_s) {}

  // The merchant the request comes from, or the first rule it breaks.
  Result<MerchantId> verify(const SignedRequest& request);

 private:
  Status reserve_future(const ApiKey& key, int64_t timestamp_s, int64_t now_s);

  MerchantDirectory& directory_;
  NonceMemory& nonces_;
  MerchantRepository& repository_;
  Clock& clock_;
  int64_t started_at_s_;
};

}  // namespace mpay::merchant
