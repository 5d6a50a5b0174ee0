// The measured load of `mpay-bench request-to-pay`: `connections` payment loops on one io_context
// thread (asynchronous, so the load generator's own CPU, which shares the machine with mpayd, is
// spent on requests rather than on thread switches). Each loop owns two keep-alive connections, a
// merchant's and a user's, and repeats, back to back: a signed POST /v1/payment-requests (a fresh
// body, a fresh nonce and a real HMAC-SHA256 signature per request, as a merchant's client does),
// then POST /v1/me/payment-requests/{id}/confirm with the user's session and PIN. A payment
// counts when both answered as expected, started after the warm-up and finished before the end;
// its latency is that of both requests. Every request has a deadline; a timeout or a broken
// connection is counted as a failure and the loop reconnects. Never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http_load_client.h"
#include "latency_histogram.h"
#include "merchant_signature.h"

namespace mpay::bench {

struct PaymentLoadOptions {
  uint32_t connections = 32;  // payment loops, each one payment at a time
  double warmup_seconds = 1;
  double seconds = 10;
  std::chrono::milliseconds request_timeout{10000};
  std::string amount = "0.01";
  std::string pin;
  // Called on the load's thread when the measured window opens and when it closes.
  std::function<void()> on_measure_start;
  std::function<void()> on_measure_end;
};

struct PaymentLoadResult {
  uint64_t payments = 0;
  double seconds = 0;
  LatencyHistogram latency;
  std::map<std::string, uint64_t> failures;  // "step status body" or "step transport ..." -> count
};

// `users` and `merchants` must not be empty.
PaymentLoadResult run_payment_load(const HttpEndpoint& endpoint, const std::vector<P2pUser>& users,
                                   const std::vector<BenchMerchant>& merchants,
                                   const PaymentLoadOptions& options);

}  // namespace mpay::bench
