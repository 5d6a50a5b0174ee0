#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace mpay::testing {

namespace http = boost::beast::http;

struct HttpClient::Connection {
  boost::asio::io_context context;
  std::optional<boost::beast::tcp_stream> stream;
  boost::beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::string host, uint16_t port)
    : host_(std::move(host)), port_(port), connection_(std::make_unique<Connection>()) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpReply HttpClient::request(http::verb method, const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers) {
  Connection& connection = *connection_;
  if (!connection.stream) {
    boost::asio::ip::tcp::resolver resolver(connection.context);
    connection.stream.emplace(connection.context);
    connection.stream->connect(resolver.resolve(host_, std::to_string(port_)));
  }
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, host_);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == http::verb::post) {
    request.body() = body;
    request.set(http::field::content_type, "application/json");
    request.prepare_payload();
  }
  http::write(*connection.stream, request);
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(*connection.stream, connection.buffer, parser);
  http::response<http::string_body> response = parser.release();
  HttpReply reply;
  reply.status = response.result_int();
  for (const auto& field : response)
    reply.headers[std::string(field.name_string())] = std::string(field.value());
  reply.body = response.body();
  if (!response.keep_alive()) close();
  return reply;
}

void HttpClient::close() {
  if (!connection_ || !connection_->stream) return;
  boost::system::error_code ignored;
  connection_->stream->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  connection_->stream.reset();
}

}  // namespace mpay::testing
