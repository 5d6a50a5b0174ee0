#include "notify/webhooks/beast_webhook_transport.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>

#include "notify/webhooks/webhook_url.h"

namespace mpay::notify::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

inline constexpr size_t kResponseHeaderBytesMax = 16 * 1024;

asio::awaitable<void> exchange(const WebhookUrl& url, const WebhookRequest& request,
                               std::chrono::nanoseconds timeout, WebhookResponse& response) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), asio::use_awaitable);
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  co_await stream.async_connect(endpoints, asio::use_awaitable);

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
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

WebhookResponse BeastWebhookTransport::post(const WebhookRequest& request) {
  WebhookResponse response;
  Result<WebhookUrl> url = parse_webhook_url(request.url);
  if (!url.ok()) {
    response.error = "url_invalid";
    return response;
  }
  if (url->secure) {
    response.error = "https_unsupported";
    return response;
  }
  auto timeout = std::chrono::nanoseconds(request.timeout_ns);
  try {
    // Declared before the io_context: its pending handlers, destroyed with it, refer to these.
    std::exception_ptr failure;
    bool finished = false;
    asio::io_context io;
    asio::co_spawn(io, exchange(*url, request, timeout, response),
                   [&](std::exception_ptr error) {
                     failure = error;
                     finished = true;
                   });
    // The stream's own expiry bounds connect, write and read; this bounds the name lookup too.
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!finished) {
      io.stop();
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
  return response;
}

}  // namespace mpay::notify::webhooks
