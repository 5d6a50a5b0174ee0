// `mpay-bench request-to-pay`: merchants ask users to pay and the users confirm, over HTTP,
// against a real mpayd: POST /v1/payment-requests signed by the merchant (HMAC-SHA256, verified by
// the server) then POST /v1/me/payment-requests/{id}/confirm with the user's session and PIN,
// paid from the wallet. It starts mpayd on a scratch directory, onboards merchants through the
// operator API and sets up funded users through the wallet API (not timed), then keeps
// `connections` payment loops (payment_load.h: asynchronous, one client thread) doing
// create-then-confirm back to back, and prints payments/s and the latency of a whole payment (both
// requests). The merchants' webhook URL is a local receiver that answers 200 (webhook_receiver.h),
// so mpayd delivers each event once instead of recording failed attempts and retrying them.
// Unless told not to, it repeats the run against mpayd --ledger-mode plain (one SQLite
// transaction per ledger submission). Ends with
//   RESULT request_to_pay pps=<n> p99_ms=<x> [plain_pps=<n> ratio=<r>]
#pragma once

#include <cstdint>
#include <string>

namespace mpay::bench {

struct RequestToPayOptions {
  std::string mpayd_binary;
  std::string directory;  // parent of scratch directories
  uint32_t users = 200;
  uint32_t merchants = 4;
  uint32_t connections = 32;  // payment loops, one merchant and one user keep-alive connection each
  double seconds = 10;
  double warmup_seconds = 1;
  bool no_plain = false;
  uint32_t blocking_threads = 0;  // mpayd --blocking-threads; 0 = mpayd's default
};

int run_request_to_pay_bench(const RequestToPayOptions& options);

}  // namespace mpay::bench
