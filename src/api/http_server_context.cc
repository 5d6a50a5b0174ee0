#include "api/http_server_context_internal.h"

namespace mpay::api {

std::vector<std::unique_ptr<boost::asio::io_context>> HttpServerContext::make_io_contexts(
    const HttpServerOptions& options) {
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  for (unsigned i = 0; i < http_worker_threads(options); ++i) {
    contexts.push_back(std::make_unique<boost::asio::io_context>(1));
  }
  return contexts;
}

std::vector<std::unique_ptr<AnswerMailbox>> HttpServerContext::make_mailboxes() {
  std::vector<std::unique_ptr<AnswerMailbox>> boxes;
  for (auto& io_context : io_contexts) {
    boxes.push_back(std::make_unique<AnswerMailbox>(
        [this, executor = io_context->get_executor()](std::function<void()> deliver) {
          return post_while_running(executor, std::move(deliver));
        }));
  }
  return boxes;
}

void HttpServerContext::stop_posting() {
  std::lock_guard lock(mutex_);
  posting_ = false;
}

uint64_t HttpServerContext::register_connection(std::weak_ptr<HttpConnection> connection) {
  std::lock_guard lock(mutex_);
  if (connections_.size() >= options.connections_max) return 0;
  uint64_t id = next_connection_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void HttpServerContext::unregister_connection(uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    connections_.erase(id);
  }
  connections_changed_.notify_all();
}

std::vector<std::shared_ptr<HttpConnection>> HttpServerContext::live_connections() {
  std::vector<std::shared_ptr<HttpConnection>> live;
  std::lock_guard lock(mutex_);
  live.reserve(connections_.size());
  for (auto& [id, weak] : connections_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

bool HttpServerContext::wait_for_no_connections(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return connections_changed_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

}  // namespace mpay::api
