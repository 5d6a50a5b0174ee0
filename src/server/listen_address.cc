#include "server/listen_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace mpay::server {

Result<ListenAddress> parse_listen_address(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Error("invalid_listen_address", "expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host == "localhost") address.host = "127.0.0.1";
  in_addr parsed{};
  if (inet_pton(AF_INET, address.host.c_str(), &parsed) != 1) {
    return Error("invalid_listen_address", "host must be an IPv4 address: " + address.host);
  }
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  unsigned port = 0;
  auto [stop, error] = std::from_chars(begin, end, port);
  if (error != std::errc() || stop != end || port > 65535) {
    return Error("invalid_listen_address", "port must be 0 to 65535");
  }
  address.port = static_cast<uint16_t>(port);
  return address;
}

}  // namespace mpay::server
