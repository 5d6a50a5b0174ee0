#include "api/http_connection_internal.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <exception>
#include <limits>

#include "api/http_limits.h"
#include "api/http_request_id.h"
#include "api/http_response_head.h"
#include "api/http_server_context_internal.h"
#include "api/http_target.h"
#include "core/check.h"

namespace mpay::api {

namespace http = boost::beast::http;
namespace net = boost::asio;
using boost::beast::error_code;

namespace {

// Shared by every copy of one request's Responder. Its destructor is how a dropped Responder is
// noticed: if nobody answered, the client still gets a 500 instead of waiting forever.
class ResponderState {
 public:
  ResponderState(std::shared_ptr<HttpConnection> connection, uint64_t request_sequence,
                 std::string request_id)
      : connection_(std::move(connection)),
        request_sequence_(request_sequence),
        request_id_(std::move(request_id)) {}

  ResponderState(const ResponderState&) = delete;
  ResponderState& operator=(const ResponderState&) = delete;

  ~ResponderState() {
    int expected = kPending;
    if (!state_.compare_exchange_strong(expected, kAnswered)) return;
    spdlog::error("http handler dropped its responder without answering request_id={}",
                  request_id_);
    connection_->post_response(
        request_sequence_,
        error_response(500, mpay::Error("internal_error", "the request was not answered")));
  }

  void respond(HttpResponse response) {
    int expected = kPending;
    if (state_.compare_exchange_strong(expected, kAnswered)) {
      connection_->post_response(request_sequence_, std::move(response));
      return;
    }
    MPAY_CHECK(expected != kAnswered, "Responder called twice");
    // The handler threw, was answered 500, and still called its responder: nothing to send.
    spdlog::warn("http responder called after its handler threw request_id={}", request_id_);
  }

  // The connection answers itself because the handler threw; true if no answer was sent yet.
  bool abandon() {
    int expected = kPending;
    return state_.compare_exchange_strong(expected, kAbandoned);
  }

 private:
  static constexpr int kPending = 0;
  static constexpr int kAnswered = 1;
  static constexpr int kAbandoned = 2;

  std::shared_ptr<HttpConnection> connection_;
  const uint64_t request_sequence_;
  const std::string request_id_;
  std::atomic<int> state_{kPending};
};

// Beast 1.74 hands out boost::string_view, which does not convert to std::string_view.
std::string_view view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

// The first header of kSingleValuedHeaders that the request carries more than once.
std::optional<std::string_view> repeated_header(const http::fields& fields) {
  for (std::string_view name : kSingleValuedHeaders) {
    if (fields.count(boost::beast::string_view(name.data(), name.size())) > 1) return name;
  }
  return std::nullopt;
}

// Bytes that answer "Expect: 100-continue" (curl sends it for bodies over 1 KiB).
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

std::shared_ptr<HttpConnection> HttpConnection::create(std::shared_ptr<HttpServerContext> context,
                                                       ConnectionSocket socket, size_t worker) {
  auto connection = std::make_shared<HttpConnection>(context, std::move(socket), worker);
  connection->id_ = context->register_connection(connection);
  if (connection->id_ == 0) {
    spdlog::warn("http connection refused: connections_max={} reached remote={}",
                 context->options.connections_max, connection->remote_address_);
    error_code ignored;
    connection->stream_.socket().close(ignored);
    connection->phase_ = Phase::closed;
    return nullptr;
  }
  return connection;
}

HttpConnection::HttpConnection(std::shared_ptr<HttpServerContext> context, ConnectionSocket socket,
                               size_t worker)
    : context_(std::move(context)), worker_(worker), stream_(std::move(socket)) {
  error_code error;
  auto endpoint = stream_.socket().remote_endpoint(error);
  remote_address_ = error ? "-" : endpoint.address().to_string();
}

HttpConnection::~HttpConnection() {
  if (id_ != 0) context_->unregister_connection(id_);
}

void HttpConnection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->context_->draining) {
      self->close_now();
      return;
    }
    self->wait_for_request();
  });
}

void HttpConnection::post_response(uint64_t request_sequence, HttpResponse response) {
  // The mailbox logs a response it has to drop because the server stopped.
  (void)context_->mailbox(worker_).add(shared_from_this(), request_sequence, std::move(response));
}

void HttpConnection::post_drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->draining_ = true;
    if (self->phase_ == Phase::idle) self->close_now();
  });
}

void HttpConnection::post_force_close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->awaiting_response_) {
      spdlog::warn("http request closed unanswered at shutdown request_id={}",
                   self->request_.request_id);
    }
    self->close_now();
  });
}

// Waiting for the first byte of the next request is "idle" and gets the idle timeout; once bytes
// arrive the whole request must come within the read timeout.
void HttpConnection::wait_for_request() {
  phase_ = Phase::idle;
  if (draining_ || context_->draining) {
    close_now();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    read_header();
    return;
  }
  stream_.expires_after(std::chrono::milliseconds(context_->options.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(kIdleReadBytes),
                          [self = shared_from_this()](error_code error, size_t bytes) {
                            self->on_idle_read(error, bytes);
                          });
}

void HttpConnection::on_idle_read(error_code error, size_t bytes) {
  if (error) {
    if (error != net::error::eof && error != net::error::operation_aborted) {
      spdlog::debug("http connection closed while idle remote={}: {}", remote_address_,
                    error.message());
    }
    close_now();
    return;
  }
  buffer_.commit(bytes);
  if (draining_) {  // bytes raced with a drain; the request would never be answered in time
    close_now();
    return;
  }
  read_header();
}

void HttpConnection::read_header() {
  phase_ = Phase::reading;
  request_start_ = std::chrono::steady_clock::now();
  request_deadline_ = request_start_ + std::chrono::milliseconds(context_->options.read_timeout_ms);
  request_ = HttpRequest{};
  logged_method_ = "-";
  logged_path_ = "-";
  route_ = nullptr;
  request_body_bytes_ = 0;
  keep_alive_ = false;
  close_after_answer_ = false;

  parser_.emplace();
  uint64_t header_limit =
      std::min<uint64_t>(context_->options.header_bytes_max, std::numeric_limits<uint32_t>::max());
  parser_->header_limit(static_cast<uint32_t>(header_limit));
  // The server-wide cap, so a Content-Length above it fails while the header is parsed; the
  // route's own limit is set once the route is known.
  parser_->body_limit(static_cast<uint64_t>(context_->options.body_bytes_max));
  stream_.expires_at(request_deadline_);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](error_code error, size_t) { self->on_header(error); });
}

// True when `error` ended the request (answered or closed); the caller must stop.
bool HttpConnection::reading_failed(error_code error) {
  if (!error) return false;
  // Anything after the error in the buffer belongs to a broken stream.
  close_after_answer_ = true;
  if (error == http::error::header_limit) {
    answer_error(431, "headers_too_large", "request headers exceed the limit");
  } else if (error == http::error::body_limit) {
    answer_error(413, "body_too_large", "request body exceeds the limit");
  } else if (error == http::error::end_of_stream || error == http::error::partial_message ||
             error.category() != http::make_error_code(http::error::bad_method).category()) {
    // The peer went away, the read timed out, or the socket failed: nobody to answer.
    spdlog::debug("http read ended remote={}: {}", remote_address_, error.message());
    close_now();
  } else {
    answer_error(400, "bad_request", "malformed HTTP request");
  }
  return true;
}

void HttpConnection::on_header(error_code error) {
  if (phase_ == Phase::closed) return;
  if (reading_failed(error)) return;
  route_request();
}

void HttpConnection::route_request() {
  const auto& message = parser_->get();
  request_.method = message.method();
  request_.target = std::string(view(message.target()));
  request_.remote_address = remote_address_;
  logged_method_ = std::string(view(message.method_string()));
  keep_alive_ = message.keep_alive();
  // A body we do not read would be taken for the next request, so answering early means closing.
  close_after_answer_ = !parser_->is_done();

  auto client_request_id = message.find("X-Request-Id");
  if (client_request_id != message.end() && is_valid_request_id(view(client_request_id->value()))) {
    request_.request_id = std::string(view(client_request_id->value()));
  } else {
    request_.request_id = generate_request_id(context_->random);
  }

  auto target = parse_target(request_.target);
  if (!target.ok()) {
    answer(error_response(400, target.error()));
    return;
  }
  logged_path_ = target->raw_path;
  request_.path = std::move(target->path);
  request_.query = std::move(target->query);

  if (std::optional<std::string_view> repeated = repeated_header(message)) {
    answer(error_response(
        400, mpay::Error("header_repeated",
                         std::string(*repeated) + " must be sent once; this request repeats it",
                         std::string(*repeated))));
    return;
  }

  RouteMatch match = context_->router.match(request_.method, request_.path);
  if (match.kind == RouteMatchKind::path_not_found) {
    answer_error(404, "not_found", "no such path");
    return;
  }
  if (match.kind == RouteMatchKind::method_not_allowed) {
    HttpResponse response = error_response(
        405, mpay::Error("method_not_allowed", "this path does not accept this method"));
    response.headers.emplace_back("Allow", allow_header_value(match.allowed_methods));
    answer(std::move(response));
    return;
  }
  route_ = match.route;
  request_.path_params = std::move(match.path_params);
  if (std::optional<mpay::Error> refused = refused_query(*route_, request_.query)) {
    answer(error_response(400, *refused));
    return;
  }

  uint64_t body_limit = std::min(route_->body_bytes_max, context_->options.body_bytes_max);
  auto content_length = parser_->content_length();
  if (content_length && *content_length > body_limit) {
    answer_error(413, "body_too_large", "request body exceeds the limit");
    return;
  }
  parser_->body_limit(body_limit);
  if (parser_->is_done()) {
    dispatch();
    return;
  }
  auto expect = message.find(http::field::expect);
  if (expect != message.end() && boost::beast::iequals(expect->value(), "100-continue")) {
    stream_.expires_at(request_deadline_);
    net::async_write(stream_, net::buffer(kContinueResponse.data(), kContinueResponse.size()),
                     [self = shared_from_this()](error_code error, size_t) {
                       if (self->phase_ == Phase::closed) return;
                       if (error) {
                         self->close_now();
                         return;
                       }
                       self->read_body();
                     });
    return;
  }
  read_body();
}

void HttpConnection::read_body() {
  stream_.expires_at(request_deadline_);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](error_code error, size_t) { self->on_body(error); });
}

void HttpConnection::on_body(error_code error) {
  if (phase_ == Phase::closed) return;
  if (reading_failed(error)) return;
  close_after_answer_ = false;
  dispatch();
}

void HttpConnection::dispatch() {
  request_.body = std::move(parser_->get().body());
  request_body_bytes_ = request_.body.size();
  request_.headers = &parser_->get();

  if (!route_->scope.empty()) {
    std::optional<mpay::Error> denied;
    try {
      denied = context_->authorize(request_, route_->scope);
    } catch (const std::exception& exception) {
      spdlog::error("http authorize threw request_id={}: {}", request_.request_id,
                    exception.what());
      answer_error(500, "internal_error", "internal error");
      return;
    } catch (...) {
      spdlog::error("http authorize threw request_id={}", request_.request_id);
      answer_error(500, "internal_error", "internal error");
      return;
    }
    if (denied) {
      // A store that cannot be read is the server's trouble, not the caller's credentials.
      unsigned status = denied->code.rfind("forbidden", 0) == 0 ? 403
                        : denied->code == "store_error" || denied->code == "store_busy" ? 503
                                                                                         : 401;
      answer(error_response(status, *denied));
      return;
    }
  }
  call_handler();
}

void HttpConnection::call_handler() {
  phase_ = Phase::handling;
  awaiting_response_ = true;
  ++request_sequence_;
  auto state =
      std::make_shared<ResponderState>(shared_from_this(), request_sequence_, request_.request_id);
  Responder responder = [state](HttpResponse response) { state->respond(std::move(response)); };
  const char* failure = nullptr;
  std::string what;
  try {
    route_->handler(request_, std::move(responder));
  } catch (const std::exception& exception) {
    failure = "threw";
    what = exception.what();
  } catch (...) {
    failure = "threw a non-exception";
  }
  request_.headers = nullptr;  // the handler's view of the headers ends with its call
  if (failure != nullptr) {
    spdlog::error("http handler {} request_id={} route={} {}: {}", failure, request_.request_id,
                  logged_method_, route_->pattern, what);
    if (state->abandon()) {
      awaiting_response_ = false;
      answer_error(500, "internal_error", "internal error");
    }
  }
  // If the handler kept no copy of its Responder, this releases the last one and the state's
  // destructor posts the 500 for a request nobody answered.
  state.reset();
}

void HttpConnection::deliver_response(uint64_t request_sequence, HttpResponse response) {
  if (phase_ == Phase::closed || !awaiting_response_ || request_sequence != request_sequence_) {
    spdlog::warn("http response dropped: its connection is gone request_id={}",
                 request_.request_id);
    return;
  }
  awaiting_response_ = false;
  answer(std::move(response));
}

void HttpConnection::answer_error(unsigned status, const char* code, const char* message) {
  answer(error_response(status, mpay::Error(code, message)));
}

void HttpConnection::answer(HttpResponse response) {
  if (request_.request_id.empty()) request_.request_id = generate_request_id(context_->random);
  if (response.status < 200 || response.status > 599) {
    spdlog::error("http handler answered with invalid status {} request_id={}", response.status,
                  request_.request_id);
    response = error_response(500, mpay::Error("internal_error", "internal error"));
  }
  phase_ = Phase::writing;
  bool keep_alive = keep_alive_ && !close_after_answer_ && !draining_ && !context_->draining;
  if (!response_has_body(response.status)) response.body.clear();
  response_head_ = format_response_head(response, request_.request_id, keep_alive);
  response_body_ = std::move(response.body);
  // Logged and observed when the response is complete and handed to the socket, so that the
  // record exists before the client can see the answer.
  log_request(response.status, response_body_.size());

  stream_.expires_after(std::chrono::milliseconds(context_->options.write_timeout_ms));
  // Head and body in one gathered write: one sendmsg for the whole answer.
  std::array<net::const_buffer, 2> answer_bytes{net::buffer(response_head_),
                                                net::buffer(response_body_)};
  net::async_write(stream_, answer_bytes,
                   [self = shared_from_this(), keep_alive](error_code error, size_t) {
                     self->on_write(error, keep_alive);
                   });
}

void HttpConnection::on_write(error_code error, bool keep_alive) {
  if (phase_ == Phase::closed) return;
  if (error) {
    spdlog::debug("http write failed remote={}: {}", remote_address_, error.message());
    close_now();
    return;
  }
  if (!keep_alive) {
    close_gracefully();
    return;
  }
  wait_for_request();
}

void HttpConnection::log_request(unsigned status, size_t response_body_bytes) {
  auto duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - request_start_)
                         .count();
  // The query string and the headers are left out on purpose: they may carry personal data and
  // credentials. Method and path come from the parser, so they cannot hold line breaks.
  spdlog::info(
      "http {} {} status={} duration_us={} request_bytes={} response_bytes={} request_id={} "
      "remote={}",
      logged_method_, logged_path_, status, duration_us, request_body_bytes_, response_body_bytes,
      request_.request_id, remote_address_);
  if (!context_->observer) return;
  try {
    context_->observer(route_, status, static_cast<int64_t>(duration_us));
  } catch (...) {
    spdlog::error("http request observer threw request_id={}", request_.request_id);
  }
}

// Half-close, then read and discard what the client is still sending, so that the response just
// written is not destroyed by the TCP reset a close with unread data would cause.
void HttpConnection::close_gracefully() {
  phase_ = Phase::closing;
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  lingered_bytes_ = 0;
  buffer_.clear();
  stream_.expires_after(std::chrono::milliseconds(kCloseLingerMs));
  linger();
}

void HttpConnection::linger() {
  stream_.async_read_some(buffer_.prepare(kCloseLingerReadBytes),
                          [self = shared_from_this()](error_code error, size_t bytes) {
                            self->lingered_bytes_ += bytes;
                            if (error || self->phase_ == Phase::closed ||
                                self->lingered_bytes_ > kCloseLingerBytesMax) {
                              self->close_now();
                              return;
                            }
                            self->linger();
                          });
}

void HttpConnection::close_now() {
  if (phase_ == Phase::closed) return;
  phase_ = Phase::closed;
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace mpay::api
