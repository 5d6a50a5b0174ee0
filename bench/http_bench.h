// `mpay-bench http`: P2P transfers over HTTP against a real mpayd, end to end (routing, auth, PIN
// check, risk, ledger, durable commit, JSON answer). It starts mpayd on a scratch directory (or uses
// a running one, --url), signs up and funds `users` wallets through the wallet API (not timed),
// then keeps `connections` keep-alive connections busy with POST /v1/transfers and prints answers/s,
// transfers/s and latency percentiles. Unless told not to, it repeats the run against an mpayd in
// `--ledger-mode plain` (one SQLite transaction per transfer) and prints the ratio. Ends with
//   RESULT http_p2p tps=<n> p99_ms=<x> [plain_tps=<n> ratio=<r>]
// Returns the process exit code: non-zero, with the reason on stderr, when mpayd does not start,
// set-up fails or no transfer succeeds.
#pragma once

#include <cstdint>
#include <string>

namespace mpay::bench {

struct HttpBenchOptions {
  std::string mpayd_binary;         // mpayd to start (ignored with url)
  std::string url;                  // http://HOST:PORT of a running mpayd, or empty
  std::string url_data_directory;   // with url: that mpayd's data directory (the SMS outbox)
  std::string directory;            // parent of scratch directories (removed afterwards)
  uint32_t users = 200;
  uint32_t connections = 64;
  uint32_t client_threads = 1;      // io_context threads of the load client: 1 or 2
  double seconds = 10;
  double warmup_seconds = 1;
  bool no_plain = false;
  uint32_t phone_offset = 0;        // users get phones +86139<8 digits: offset + index
};

int run_http_bench(const HttpBenchOptions& options);

}  // namespace mpay::bench
