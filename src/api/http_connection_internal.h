// Internal to src/api: one accepted TCP connection, carrying its requests one at a time down the
// road parse -> route -> authorize -> handler -> respond, and keeping the connection alive between
// them.
//
// Threads: all private state is touched only on the connection's io_context, which one worker
// thread runs. The public functions may be called from any thread; they post onto it. The
// connection owns itself through shared_ptr: pending socket operations hold it, and so does a
// Responder that has not been called yet (so a request waiting on the ledger keeps its connection).
//
// Failure: protocol errors are answered and close the connection, timeouts and socket errors close
// it silently (debug log), exceptions from handlers and from the authorize callback become 500.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/http_message.h"
#include "api/router.h"

namespace mpay::api {

struct HttpServerContext;

// A connection's executor is its worker's io_context (one thread runs each), by its concrete type:
// Beast's default tcp_stream erases it (any_io_executor), and copying and querying that erased
// executor on every operation took about 6% of the HTTP threads' time (perf, request-to-pay
// benchmark).
using ConnectionExecutor = boost::asio::io_context::executor_type;
using ConnectionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, ConnectionExecutor>;

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // Registers with the context; returns null (and closes the socket) when connections_max are open.
  // `worker`: the index of the worker whose io_context the socket is on.
  static std::shared_ptr<HttpConnection> create(std::shared_ptr<HttpServerContext> context,
                                                ConnectionSocket socket, size_t worker);
  HttpConnection(std::shared_ptr<HttpServerContext> context, ConnectionSocket socket,
                 size_t worker);
  ~HttpConnection();

  void start();
  // The response to request number `request_sequence`, handed to the worker's AnswerMailbox;
  // dropped if the connection moved on or the server stopped.
  void post_response(uint64_t request_sequence, HttpResponse response);
  // On the connection's worker thread (the mailbox's delivery): writes that response.
  void deliver_response(uint64_t request_sequence, HttpResponse response);
  // Server stopping: close now if idle, otherwise after answering the request in hand.
  void post_drain();
  // Server giving up on in-flight work: close now. Bypasses the posting gate, so it may only be
  // called while the worker threads still run.
  void post_force_close();

 private:
  enum class Phase { idle, reading, handling, writing, closing, closed };

  void wait_for_request();
  void on_idle_read(boost::beast::error_code error, size_t bytes);
  void read_header();
  void on_header(boost::beast::error_code error);
  void route_request();
  void read_body();
  void on_body(boost::beast::error_code error);
  void dispatch();
  void call_handler();
  void answer_error(unsigned status, const char* code, const char* message);
  void answer(HttpResponse response);
  void on_write(boost::beast::error_code error, bool keep_alive);
  void log_request(unsigned status, size_t response_body_bytes);
  void close_gracefully();
  void linger();
  void close_now();
  bool reading_failed(boost::beast::error_code error);

  // Declared first so it is destroyed last: the stream needs the context's io_context.
  std::shared_ptr<HttpServerContext> context_;
  const size_t worker_;
  uint64_t id_ = 0;
  boost::beast::basic_stream<boost::asio::ip::tcp, ConnectionExecutor> stream_;
  boost::beast::flat_buffer buffer_;
  std::string remote_address_;
  Phase phase_ = Phase::idle;
  bool draining_ = false;
  size_t lingered_bytes_ = 0;

  // The request in hand.
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  HttpRequest request_;
  std::string logged_method_;
  std::string logged_path_;  // raw path, never the query
  const Route* route_ = nullptr;
  size_t request_body_bytes_ = 0;
  bool keep_alive_ = false;
  bool close_after_answer_ = false;
  uint64_t request_sequence_ = 0;
  bool awaiting_response_ = false;
  std::chrono::steady_clock::time_point request_start_;
  std::chrono::steady_clock::time_point request_deadline_;
  // The answer being written (http_response_head.h); kept until the write completes.
  std::string response_head_;
  std::string response_body_;
};

}  // namespace mpay::api
