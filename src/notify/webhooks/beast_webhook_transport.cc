#include "notify/webhooks/beast_webhook_transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <exception>
#include <memory>

#include "notify/webhooks/webhook_url.h"

namespace mpay::notify::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;

inline constexpr size_t kResponseHeaderBytesMax = 16 * 1024;

template <typename Stream>
asio::awaitable<void> write_and_read(Stream& stream, const WebhookUrl& url, const WebhookRequest& request,
                                    WebhookResponse& response) {
  http::request<http::string_body> message{http::verb::post, url.target, 11};
  message.set(http::field::host, url.host_header());
  message.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();
  co_await http::async_write(stream, message, asio::use_awaitable);

  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  parser.header_limit(kResponseHeaderBytesMax);
  co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
  response.http_status = parser.get().result_int();
}

asio::awaitable<void> exchange(const WebhookUrl& url, const WebhookRequest& request, ssl::context* tls,
                               std::chrono::nanoseconds timeout, WebhookResponse& response) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), asio::use_awaitable);
  if (tls == nullptr) {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_await write_and_read(stream, url, request, response);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, *tls);
  if (SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()) != 1) {
    throw beast::system_error(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  }
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
  co_await write_and_read(stream, url, request, response);
  // No TLS close_notify exchange: the answer is in hand, and a receiver that never sends its own
  // would cost us the rest of the timeout.
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
}

// The calling thread's io_context, reused from attempt to attempt. Asio runs asynchronous name
// lookups on a private thread per io_context, so a fresh io_context per attempt started and joined
// a thread every time (about 1,300 a second under the request-to-pay benchmark). An attempt that
// timed out may leave handlers that refer to its stack: drop_attempt_context() then discards that
// io_context, and the thread's next attempt gets a new one.
thread_local std::unique_ptr<asio::io_context> attempt_context_of_thread;

asio::io_context& attempt_context() {
  if (!attempt_context_of_thread) attempt_context_of_thread = std::make_unique<asio::io_context>(1);
  attempt_context_of_thread->restart();  // a run that ran out of work leaves it stopped
  return *attempt_context_of_thread;
}

void drop_attempt_context() { attempt_context_of_thread.reset(); }

}  // namespace

BeastWebhookTransport::BeastWebhookTransport(const std::string& ca_file) {
  try {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context->set_verify_mode(ssl::verify_peer);
    if (ca_file.empty()) {
      context->set_default_verify_paths();
    } else {
      context->load_verify_file(ca_file);
    }
    tls_ = std::move(context);
  } catch (const std::exception& error) {
    tls_error_ = std::string("tls_unavailable: ") + error.what();
  }
}

BeastWebhookTransport::~BeastWebhookTransport() = default;

WebhookResponse BeastWebhookTransport::post(const WebhookRequest& request) {
  WebhookResponse response;
  Result<WebhookUrl> url = parse_webhook_url(request.url);
  if (!url.ok()) {
    response.error = "url_invalid";
    return response;
  }
  if (url->secure && !tls_) {
    response.error = tls_error_;
    return response;
  }
  auto timeout = std::chrono::nanoseconds(request.timeout_ns);
  std::exception_ptr failure;
  bool finished = false;
  try {
    asio::io_context& io = attempt_context();
    asio::co_spawn(io, exchange(*url, request, url->secure ? tls_.get() : nullptr, timeout, response),
                   [&](std::exception_ptr error) {
                     failure = error;
                     finished = true;
                   });
    // The stream's own expiry bounds connect, handshake, write and read; this bounds the name
    // lookup too.
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!finished) {
      // Its pending handlers refer to `failure`, `finished` and `response`: destroyed here, with
      // the io_context, before those go out of scope.
      io.stop();
      drop_attempt_context();
      response.http_status = 0;
      response.error = "timeout";
      return response;
    }
    if (failure) std::rethrow_exception(failure);
  } catch (const boost::system::system_error& error) {
    response.http_status = 0;
    response.error = error.code() == beast::error::timeout ? "timeout" : error.code().message();
  } catch (const std::exception& error) {
    response.http_status = 0;
    response.error = error.what();
  }
  // A run cut short by an exception may have left handlers that refer to this frame.
  if (!finished) drop_attempt_context();
  return response;
}

}  // namespace mpay::notify::webhooks
