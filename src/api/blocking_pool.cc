#include "api/blocking_pool.h"

#include <boost/asio/post.hpp>
#include <memory>

namespace mpay::api {

BlockingPool::BlockingPool(size_t threads) : pool_(threads) {}

BlockingPool::~BlockingPool() { pool_.join(); }

void BlockingPool::post(std::function<void()> job) { boost::asio::post(pool_, std::move(job)); }

Handler BlockingPool::offload(Handler handler) {
  return [this, handler = std::move(handler)](HttpRequest& request, Responder respond) {
    auto copy = std::make_shared<HttpRequest>(std::move(request));
    copy->headers = nullptr;
    post([handler, copy, respond = std::move(respond)]() mutable { handler(*copy, std::move(respond)); });
  };
}

}  // namespace mpay::api
