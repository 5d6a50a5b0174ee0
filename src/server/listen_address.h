// Parses "HOST:PORT" for --listen (IPv4 dotted quad or "localhost"; port 0 = pick a free one).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace mpay::server {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

Result<ListenAddress> parse_listen_address(const std::string& text);

}  // namespace mpay::server
