#include "cli/operator_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>

namespace mpay::cli {

Result<OperatorClient> OperatorClient::open(const std::string& server, const std::string& data_directory) {
  constexpr std::string_view kScheme = "http://";
  if (!server.starts_with(kScheme)) return Error("server_url_invalid", "--server must be http://HOST:PORT");
  std::string authority = server.substr(kScheme.size());
  if (!authority.empty() && authority.back() == '/') authority.pop_back();
  size_t colon = authority.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == authority.size() ||
      authority.find('/') != std::string::npos) {
    return Error("server_url_invalid", "--server must be http://HOST:PORT");
  }
  std::ifstream file(data_directory + "/operator-token");
  std::string token;
  if (!file || !std::getline(file, token) || token.empty()) {
    return Error("operator_token_unreadable",
                 "cannot read " + data_directory + "/operator-token (mpayd creates it; pass --data)");
  }
  return OperatorClient(authority.substr(0, colon), authority.substr(colon + 1), token);
}

Result<ServerReply> OperatorClient::send(const OperatorRequest& request) const {
  namespace beast = boost::beast;
  namespace http = beast::http;
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> message{http::string_to_verb(request.method), request.target, 11};
    message.set(http::field::host, host_ + ":" + port_);
    message.set(http::field::authorization, "Bearer " + token_);
    if (!request.idempotency_key.empty()) message.set("Idempotency-Key", request.idempotency_key);
    if (!request.body.empty() || request.method == "POST") {
      message.set(http::field::content_type, "application/json");
      message.body() = request.body;
      message.prepare_payload();
    }
    http::write(stream, message);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    return ServerReply{response.result_int(), response.body()};
  } catch (const std::exception& error) {
    return Error("server_unreachable", "http://" + host_ + ":" + port_ + ": " + error.what());
  }
}

}  // namespace mpay::cli
