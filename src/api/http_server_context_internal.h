// Internal to src/api: the state that the server, its connections and their responders share.
//
// Lifetime: held by shared_ptr from the HttpServer and from every connection, so the io_contexts
// outlive every socket, even a connection kept alive by a Responder that a slow handler still
// holds after the server stopped. Threads: every member function is thread-safe; `options`,
// `router`, `authorize` and `observer` are fixed before the worker threads start.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/answer_mailbox_internal.h"
#include "api/http_server.h"
#include "api/router.h"
#include "core/random.h"

namespace mpay::api {

class HttpConnection;

struct HttpServerContext {
  HttpServerContext(HttpServerOptions options_in, const Router& router_in, Authorize authorize_in)
      : options(std::move(options_in)), router(router_in), authorize(std::move(authorize_in)) {}

  const HttpServerOptions options;
  const Router& router;
  const Authorize authorize;
  RequestObserver observer;  // set before start
  mpay::SystemRandom random;
  // One io_context per worker thread, each run by that thread alone, and each connection on one
  // of them: a connection's handlers are serialized without a strand (a strand's copies, queue
  // and lock were about 5% of the HTTP thread's time under request-to-pay). Concurrency hint 1
  // lets asio keep the handlers its own thread posts in a queue without the shared lock; other
  // threads (the ledger's completions) may still post.
  std::vector<std::unique_ptr<boost::asio::io_context>> io_contexts = make_io_contexts(options);
  // Set when stop() begins: connections finish the request in hand and then close.
  std::atomic<bool> draining{false};

  // Posts `function` to `executor` unless stop() has given up on in-flight work; then drops it and
  // returns false. Responders post through here, so nothing is queued on an io_context that no
  // thread will run again (such a handler would keep its connection, and so this context, alive
  // forever).
  template <typename Executor, typename Function>
  bool post_while_running(const Executor& executor, Function&& function) {
    std::lock_guard lock(mutex_);
    if (!posting_) return false;
    boost::asio::post(executor, std::forward<Function>(function));
    return true;
  }
  void stop_posting();

  // Answers posted to each worker from other threads, delivered in batches (one per worker).
  std::vector<std::unique_ptr<AnswerMailbox>> mailboxes = make_mailboxes();
  AnswerMailbox& mailbox(size_t worker) { return *mailboxes[worker]; }

  // The worker (index into io_contexts) of the next accepted connection: round robin.
  size_t next_worker() {
    return next_context_.fetch_add(1, std::memory_order_relaxed) % io_contexts.size();
  }

  // Returns the new connection's id, or 0 when connections_max are already open.
  uint64_t register_connection(std::weak_ptr<HttpConnection> connection);
  void unregister_connection(uint64_t id);
  std::vector<std::shared_ptr<HttpConnection>> live_connections();
  // True if every connection closed before the deadline.
  bool wait_for_no_connections(std::chrono::steady_clock::time_point deadline);

 private:
  static std::vector<std::unique_ptr<boost::asio::io_context>> make_io_contexts(
      const HttpServerOptions& options);
  std::vector<std::unique_ptr<AnswerMailbox>> make_mailboxes();

  std::atomic<size_t> next_context_{0};
  std::mutex mutex_;
  std::condition_variable connections_changed_;
  bool posting_ = true;
  uint64_t next_connection_id_ = 1;
  std::unordered_map<uint64_t, std::weak_ptr<HttpConnection>> connections_;
};

}  // namespace mpay::api
