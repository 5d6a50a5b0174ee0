// Idempotency-Key for POST requests: a client that may retry sends a key; the first request with
// it runs, and every later one with the same key gets the first one's answer instead of running
// again.
//
// with_idempotency(handler, store, clock) wraps a route's handler:
//   - no Idempotency-Key header: the handler runs as if unwrapped;
//   - a key that is not 1..255 visible ASCII characters (0x21-0x7E): 400 invalid_idempotency_key;
//   - otherwise the store is asked, under scope = request.principal (the authenticated caller;
//     "" for public routes) and digest = SHA-256 over the method, the request target (path and
//     query as sent) and the body:
//       free or older than 24 h -> the handler runs; its response is stored and sent, unless
//                                 it says "retry later" (a 5xx, a 429, or any response with
//                                 Retry-After, e.g. 409 payment_request_busy): that one is
//                                 sent but not stored (the key is released), so a retry with
//                                 the same key runs again;
//       same digest, completed  -> the stored status, Content-Type and body, byte for byte, with
//                                 the header "Idempotent-Replayed: true"; the handler does not run;
//       same digest, running    -> 409 idempotency_key_in_progress (retry later to get the replay);
//       different digest        -> 422 idempotency_key_reused;
//       the store failed        -> 503 idempotency_unavailable, nothing runs.
// The response is stored before it is sent, so a client that saw an answer always gets the same
// one again. A handler that throws or drops its Responder releases the key.
//
// Routes declare themselves idempotent (Route::idempotent); apply_idempotency() wraps exactly
// those. IdempotencyExpirer deletes records older than 24 h in the background (begin() already
// ignores them, so expiry is about space, not correctness).
//
// Threads: the wrapped handler is safe to call from any server thread; it completes the record
// on whichever thread answers (for ledger routes, the ledger's completer thread). The store and
// clock must outlive the router.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/http_message.h"
#include "api/idempotency_store.h"
#include "api/router.h"
#include "core/clock.h"

namespace mpay::api {

inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";
inline constexpr std::string_view kIdempotentReplayedHeader = "Idempotent-Replayed";
// Set by handlers on a refusal that a retry may soon overcome; such answers are not stored.
inline constexpr std::string_view kRetryAfterHeader = "Retry-After";
// A response that shows a secret once (a merchant's API key secret) must not leave it in the
// idempotency store: its handler puts the body to store for replays (the secret left out) in this
// header, which the wrapper takes off the response before sending it. Only set it when the
// request has an Idempotency-Key (without one the response goes out unwrapped).
inline constexpr std::string_view kIdempotentStoredBodyHeader = "Mpay-Idempotent-Stored-Body";

// A JSON response that shows secrets once: when the request claimed an Idempotency-Key (`keyed`:
// HttpRequest::idempotency_key_claimed), replays get `replay_body` (the secrets as null) instead,
// so no secret reaches the store.
HttpResponse secret_response(unsigned status, const nlohmann::json& body,
                             const nlohmann::json& replay_body, bool keyed);
inline constexpr size_t kIdempotencyKeyCharsMax = 255;
inline constexpr int64_t kIdempotencyKeyTtlNs = 24LL * 3600 * 1'000'000'000;
// The expirer wakes this often and deletes in chunks of this many rows, so that it never holds
// the store for long.
inline constexpr uint32_t kIdempotencyExpireIntervalMs = 60'000;
inline constexpr uint64_t kIdempotencyExpireRowsMax = 1000;

bool is_valid_idempotency_key(std::string_view key);

// SHA-256 over method, "\n", target, "\n", body (neither method nor target can hold a newline).
RequestDigest request_digest(const HttpRequest& request);

Handler with_idempotency(Handler handler, IdempotencyStore& store, Clock& clock);

// Wraps the handler of every route whose `idempotent` is set.
void apply_idempotency(Router& router, IdempotencyStore& store, Clock& clock);

// Deletes expired records every kIdempotencyExpireIntervalMs on its own thread, from construction
// until destruction. Failures are logged and retried at the next interval.
class IdempotencyExpirer {
 public:
  IdempotencyExpirer(IdempotencyStore& store, Clock& clock);
  ~IdempotencyExpirer();
  IdempotencyExpirer(const IdempotencyExpirer&) = delete;
  IdempotencyExpirer& operator=(const IdempotencyExpirer&) = delete;

  // One round: deletes every record older than the TTL, in chunks. Returns how many.
  Result<uint64_t> expire_now();

 private:
  void loop();

  IdempotencyStore& store_;
  Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mpay::api
