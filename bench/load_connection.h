// What the load generators (http_load_client.cc, payment_load.cc) share about their keep-alive
// connections to mpayd: limits, how a request is finished and a connection ended, and how a
// transport failure is named in the printed counts. Header-only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace mpay::bench {

// A load connection's stream, its executor by concrete type: each load runs on a single-threaded
// io_context, and Beast's default tcp_stream (any_io_executor) spent a few percent of the load
// generator's CPU copying and querying the type-erased executor.
using LoadStream =
    boost::beast::basic_stream<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

inline constexpr uint64_t kReplyBodyBytesMax = 16 * 1024 * 1024;
// Capacity reserved for a connection's read buffer. Beast reads at most the buffer's free room (at
// least 512 bytes) and its parser moves the body out as it goes, so a buffer left to grow stayed at
// 512 bytes and each answer of about 1 KiB cost two or three recvmsg calls instead of one.
inline constexpr size_t kReadBufferBytes = 16 * 1024;
inline constexpr auto kReconnectDelay = std::chrono::milliseconds(100);

// HTTP/1.1, keep-alive, the Host and a JSON content type, and the body's length.
inline void finish_json_request(boost::beast::http::request<boost::beast::http::string_body>& request,
                                const std::string& host) {
  namespace http = boost::beast::http;
  request.version(11);
  request.set(http::field::host, host);
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.prepare_payload();
}

// Shuts the connection down and drops what was read but not parsed.
template <class Stream>
void close_connection(Stream& stream, boost::beast::flat_buffer& buffer) {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.close();
  buffer.clear();
}

inline std::string transport_failure(boost::beast::error_code ec) {
  return ec == boost::beast::error::timeout ? std::string("no answer within timeout") : ec.message();
}

}  // namespace mpay::bench
