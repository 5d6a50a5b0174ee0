// A small blocking HTTP/1.1 client for end-to-end tests: one TCP connection (kept alive between
// requests), Boost.Beast underneath. Not for production use; errors abort the test via exceptions
// that gtest reports.
//
// Beast stays in http_client.cc (built once, in mpay_test_support): each test file that included
// it instantiated the whole of Beast's reading and writing again, about 10 s of compilation per
// file.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace mpay::testing {

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Connects on first use (and again after the server closed the connection).
  HttpReply request(boost::beast::http::verb method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});
  void close();

 private:
  struct Connection;
  std::string host_;
  uint16_t port_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace mpay::testing
