// Threads for handlers that block (durable writes through the group commit, calls to a bank or a
// KYC service): the server's I/O threads hand such requests over and go back to serving
// connections. Bounded by its thread count; the HTTP layer's connection limits bound the queue.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>

#include "api/http_message.h"

namespace mpay::api {

class BlockingPool {
 public:
  explicit BlockingPool(size_t threads);
  ~BlockingPool();  // runs what is queued, then joins
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  void post(std::function<void()> job);
  // A handler that runs `handler` on the pool with a copy of the request (its `headers` pointer
  // cleared: read headers before, on the I/O thread).
  Handler offload(Handler handler);

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace mpay::api
