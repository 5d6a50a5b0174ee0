// HTTP/1.1 clients for `mpay-bench http`, on Boost.Beast/Asio.
//
// BlockingHttpClient: one keep-alive connection, one request at a time, for set-up and health
// checks. Every request has a deadline (10 s unless told); a timeout, a refused connection or a
// broken one comes back as HttpReply::transport_error, never as an exception or a hang. Use one
// per thread.
//
// run_p2p_load: the measured load. `connections` keep-alive connections spread over one or two
// io_context threads; each sends one POST /v1/transfers at a time, back to back (a closed loop),
// between random (sender, recipient) pairs, and records each answer's latency in its thread's
// histogram. Only answers that arrive after the warm-up and before the end count. It returns once
// every connection has stopped: at the end of the run, and at the latest one request timeout later.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "latency_histogram.h"

namespace mpay::bench {

struct HttpEndpoint {
  std::string host;
  uint16_t port = 0;
  std::string text() const { return "http://" + host + ":" + std::to_string(port); }
};

// "http://HOST:PORT" (a trailing "/" allowed); https and paths are not supported.
Result<HttpEndpoint> parse_http_url(const std::string& url);

struct HttpReply {
  unsigned status = 0;           // 0 when transport_error is set
  std::string body;
  std::string retry_after;       // the Retry-After header, if any
  std::string transport_error;   // empty when an answer arrived
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class BlockingHttpClient {
 public:
  explicit BlockingHttpClient(HttpEndpoint endpoint,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~BlockingHttpClient();
  BlockingHttpClient(const BlockingHttpClient&) = delete;
  BlockingHttpClient& operator=(const BlockingHttpClient&) = delete;

  // `body` is sent as application/json when non-empty; `bearer_token` as Authorization when
  // non-empty; `headers` as given. After a transport error the connection is dropped; the next request opens a new one.
  HttpReply request(const std::string& method, const std::string& target, const std::string& body = {},
                    const std::string& bearer_token = {}, const HeaderList& headers = {});

 private:
  struct State;  // Beast types stay out of this header
  std::unique_ptr<State> state_;
};

struct P2pUser {
  std::string phone;  // E.164
  std::string token;  // session token
};

struct P2pLoadOptions {
  uint32_t connections = 64;
  uint32_t threads = 1;  // io_context threads, 1 or 2
  double warmup_seconds = 1;
  double seconds = 10;
  std::chrono::milliseconds request_timeout{10000};
  std::string amount = "0.01";
  std::string pin;
};

struct P2pLoadResult {
  double seconds = 0;               // length of the measured window
  uint64_t answers = 0;             // HTTP answers in the window, any status
  uint64_t transfers = 0;           // 201 answers in the window
  LatencyHistogram latency;         // of every answer in the window
  // Non-201 answers in the window by "<status> <error.code>", e.g. "409 insufficient_funds".
  std::map<std::string, uint64_t> other_answers;
  // Timeouts and broken connections by message, over the whole run (warm-up included).
  std::map<std::string, uint64_t> transport_errors;
};

// `users` must hold at least two users. Never throws.
P2pLoadResult run_p2p_load(const HttpEndpoint& endpoint, const std::vector<P2pUser>& users,
                           const P2pLoadOptions& options);

}  // namespace mpay::bench
