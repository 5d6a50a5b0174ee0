// A small blocking HTTP/1.1 client for end-to-end tests: one TCP connection (kept alive between
// requests), Boost.Beast underneath. Not for production use; errors abort the test via exceptions
// that gtest reports.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <string>

namespace mpay::testing {

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

  HttpReply request(boost::beast::http::verb method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    if (!stream_) connect();
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, host_);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == http::verb::post) {
      request.body() = body;
      request.set(http::field::content_type, "application/json");
      request.prepare_payload();
    }
    http::write(*stream_, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(*stream_, buffer_, parser);
    http::response<http::string_body> response = parser.release();
    HttpReply reply;
    reply.status = response.result_int();
    for (const auto& field : response) reply.headers[std::string(field.name_string())] = std::string(field.value());
    reply.body = response.body();
    if (!response.keep_alive()) close();
    return reply;
  }

  void close() {
    if (stream_) {
      boost::system::error_code ignored;
      stream_->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      stream_.reset();
    }
  }

 private:
  void connect() {
    boost::asio::ip::tcp::resolver resolver(context_);
    stream_.emplace(context_);
    stream_->connect(resolver.resolve(host_, std::to_string(port_)));
  }

  std::string host_;
  uint16_t port_;
  boost::asio::io_context context_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace mpay::testing
