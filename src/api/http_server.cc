#include "api/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <exception>
#include <thread>
#include <vector>

#include "api/http_connection_internal.h"
#include "api/http_limits.h"
#include "api/http_server_context_internal.h"
#include "core/check.h"

namespace mpay::api {

namespace net = boost::asio;
using boost::system::error_code;

struct HttpServer::Impl {
  enum class State { created, running, stopped };

  Impl(HttpServerOptions options, const Router& router, Authorize authorize)
      : context(
            std::make_shared<HttpServerContext>(std::move(options), router, std::move(authorize))),
        acceptor(*context->io_contexts.front()),
        accept_retry_timer(acceptor.get_executor()) {}

  mpay::Status listen();
  void accept_next();
  void on_accept(error_code error, ConnectionSocket socket, size_t worker);
  void run_worker(net::io_context& io_context);

  std::shared_ptr<HttpServerContext> context;
  net::ip::tcp::acceptor acceptor;  // on the first worker's io_context once the workers run
  net::steady_timer accept_retry_timer;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;  // one per worker
  std::vector<std::thread> workers;
  State state = State::created;
  uint16_t port = 0;
};

mpay::Status HttpServer::Impl::listen() {
  const HttpServerOptions& options = context->options;
  auto failed = [&](const char* step, const error_code& error) {
    acceptor.close();
    return mpay::Error("listen_failed",
                       fmt::format("cannot {} {}:{}: {}", step, options.listen_address,
                                   options.port, error.message()));
  };
  error_code error;
  net::ip::address address = net::ip::make_address(options.listen_address, error);
  if (error) return failed("parse listen address", error);
  net::ip::tcp::endpoint endpoint(address, options.port);
  if (acceptor.open(endpoint.protocol(), error); error) return failed("open socket for", error);
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  if (acceptor.set_option(net::socket_base::reuse_address(true), error); error) {
    return failed("set SO_REUSEADDR on", error);
  }
  if (acceptor.bind(endpoint, error); error) return failed("bind", error);
  if (acceptor.listen(net::socket_base::max_listen_connections, error); error) {
    return failed("listen on", error);
  }
  auto local = acceptor.local_endpoint(error);
  if (error) return failed("read the bound port of", error);
  port = local.port();
  return mpay::ok_status();
}

void HttpServer::Impl::accept_next() {
  // The accepted socket comes typed with its worker's executor (ConnectionSocket).
  size_t worker = context->next_worker();
  acceptor.async_accept(context->io_contexts[worker]->get_executor(),
                        [this, worker](error_code error, ConnectionSocket socket) {
                          on_accept(error, std::move(socket), worker);
                        });
}

void HttpServer::Impl::on_accept(error_code error, ConnectionSocket socket, size_t worker) {
  if (!acceptor.is_open()) return;  // stop() closed it
  if (error) {
    // E.g. EMFILE: back off instead of spinning on a failing accept.
    spdlog::warn("http accept failed: {}", error.message());
    accept_retry_timer.expires_after(std::chrono::milliseconds(kAcceptRetryDelayMs));
    accept_retry_timer.async_wait([this](error_code wait_error) {
      if (!wait_error && acceptor.is_open()) accept_next();
    });
    return;
  }
  if (auto connection = HttpConnection::create(context, std::move(socket), worker)) {
    connection->start();
  }
  accept_next();
}

void HttpServer::Impl::run_worker(net::io_context& io_context) {
  // Handlers catch their own exceptions; this loop is the last line so a worker never dies.
  while (true) {
    try {
      io_context.run();
      return;
    } catch (const std::exception& exception) {
      spdlog::error("http worker caught an exception: {}", exception.what());
    } catch (...) {
      spdlog::error("http worker caught an unknown exception");
    }
  }
}

unsigned http_worker_threads(const HttpServerOptions& options) {
  if (options.threads != 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}

HttpServer::HttpServer(HttpServerOptions options, const Router& router, Authorize authorize)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(authorize))) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::set_observer(RequestObserver observer) {
  MPAY_CHECK(impl_->state == Impl::State::created, "set_observer() after start()");
  impl_->context->observer = std::move(observer);
}

mpay::Status HttpServer::start() {
  if (impl_->state != Impl::State::created) {
    return mpay::Error("already_started", "an HttpServer can be started only once");
  }
  if (auto listened = impl_->listen(); !listened.ok()) return listened;
  impl_->state = Impl::State::running;
  for (auto& io_context : impl_->context->io_contexts) {
    impl_->work.push_back(net::make_work_guard(*io_context));
  }
  impl_->accept_next();
  unsigned threads = http_worker_threads(impl_->context->options);
  for (auto& io_context : impl_->context->io_contexts) {
    impl_->workers.emplace_back(
        [impl = impl_.get(), context = io_context.get()] { impl->run_worker(*context); });
  }
  spdlog::info("http listening on {}:{} threads={}", impl_->context->options.listen_address,
               impl_->port, threads);
  return mpay::ok_status();
}

uint16_t HttpServer::port() const {
  return impl_->port;
}

void HttpServer::stop() {
  if (impl_->state != Impl::State::running) {
    impl_->state = Impl::State::stopped;
    return;
  }
  impl_->state = Impl::State::stopped;
  HttpServerContext& context = *impl_->context;

  // 1. No new connections; idle ones close, busy ones close after their current answer.
  context.draining = true;
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_retry_timer.cancel();
  });
  for (auto& connection : context.live_connections()) connection->post_drain();

  // 2. Give requests in flight until the deadline.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(context.options.stop_timeout_ms);
  if (!context.wait_for_no_connections(deadline)) {
    spdlog::warn("http stop: requests still in flight after {} ms are cut off",
                 context.options.stop_timeout_ms);
  }

  // 3. Close the rest. Responses arriving from now on are dropped, so once the workers finish
  // what is queued nothing is left on the io_contexts.
  context.stop_posting();
  for (auto& connection : context.live_connections()) connection->post_force_close();
  impl_->work.clear();
  for (std::thread& worker : impl_->workers) worker.join();
  impl_->workers.clear();
  spdlog::info("http server stopped");
}

}  // namespace mpay::api
