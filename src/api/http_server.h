// The HTTP/1.1 server (Boost.Beast over Asio) that carries every request of the API down one
// road: parse -> route (method, path, scope, body limit) -> authorize -> handler -> respond.
//
// Threads: construct, set_observer(), start(), port() and stop() from one controlling thread,
// never from a handler. The server runs http_worker_threads(options) worker threads, each with an
// io_context of its own; every connection lives on one of them, so a connection's handler calls
// and responses are serialized.
// The authorize callback and the observer are called on worker threads, concurrently for different
// connections, and must be thread-safe and quick. The Router must not change and must outlive the
// server.
//
// Failure: start() returns an error value (e.g. "listen_failed" with the OS message) instead of
// throwing. Protocol errors are answered (400 bad_request, 413 body_too_large, 431
// headers_too_large; then the connection is closed), timeouts close the connection, and an
// exception escaping a handler or the authorize callback is logged with the request id and
// answered 500 internal_error; the server keeps serving. Each answered request is logged once at
// info level (method, path without the query, status, microseconds, body bytes, request id, peer);
// bodies and the Authorization header are never logged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_message.h"
#include "api/router.h"
#include "core/error.h"

namespace mpay::api {

struct HttpServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = let the kernel pick a free port; see HttpServer::port()
  unsigned threads = 0;  // worker threads; 0 = half the cores, at least one (http_worker_threads)
  size_t header_bytes_max = 16 * 1024;
  size_t body_bytes_max = 1 << 20;    // absolute cap; routes may set lower
  uint32_t read_timeout_ms = 30000;   // from the first byte of a request to its last
  uint32_t write_timeout_ms = 30000;  // to write one response
  uint32_t idle_timeout_ms = 60000;   // keep-alive connection waiting for its next request
  uint32_t stop_timeout_ms = 10000;   // how long stop() lets in-flight requests finish
  size_t connections_max = 10000;     // further connections are closed right after accept
};

// The worker threads a server with these options runs: `threads`, or when 0 half the hardware
// threads and at least one. Half, because handlers hand most of a request's work to other threads
// (the ledger's completer, the blocking pool, the webhook threads): with a worker per core those
// competed for the cores, and on 2 cores one worker made the request-to-pay benchmark cheaper per
// payment than two (docs/performance.md).
unsigned http_worker_threads(const HttpServerOptions& options);

// nullopt = allowed; the callback may then set request.principal to name the caller. Otherwise
// the Error is sent to the client: a code starting with "forbidden" gives 403, "store_error" and
// "store_busy" (the callback could not check) 503, any other code 401.
// Never called for routes whose scope is "".
using Authorize =
    std::function<std::optional<mpay::Error>(HttpRequest& request, const std::string& scope)>;

// Called once per answered request, when the response is complete and about to be written (so the
// duration excludes the client's reading speed). `route` is null when no route matched (404, 405)
// or the request could not be parsed.
using RequestObserver =
    std::function<void(const Route* route, unsigned status, int64_t duration_us)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, const Router& router, Authorize authorize);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Call before start().
  void set_observer(RequestObserver observer);

  // Binds, listens and starts the worker threads. Errors: listen_failed (start may be tried
  // again), already_started.
  mpay::Status start();

  // The bound port (the real one when options.port was 0); 0 before a successful start().
  uint16_t port() const;

  // Stops accepting, closes idle keep-alive connections, lets requests in flight finish (their
  // responses go out with "Connection: close") for up to stop_timeout_ms, then closes whatever is
  // left and joins the worker threads. Responders called after that are ignored. Idempotent.
  void stop();

 private:
  struct Impl;  // the acceptor, worker threads and the state shared with connections
  std::unique_ptr<Impl> impl_;
};

}  // namespace mpay::api
