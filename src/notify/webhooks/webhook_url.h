// A merchant's webhook URL, taken apart for the HTTP client. Parses outside input (merchants
// choose their URL), so it is strict and fuzzed (fuzz/webhook_url_fuzz.cc).
//
// Accepts "http[s]://host[:port][/path][?query]" (scheme case-insensitive; host a name, IPv4 or
// [IPv6]; port 1..65535, default 80 or 443); userinfo, fragments, spaces and control characters
// are refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay::notify::webhooks {

inline constexpr size_t kWebhookUrlBytesMax = 2048;

struct WebhookUrl {
  bool secure = false;  // https
  std::string host;     // without brackets for IPv6
  uint16_t port = 80;
  std::string target;   // "/path?query", at least "/"
  std::string host_header() const;  // "host" or "host:port" when the port is not the default
};

// Errors: "url_invalid" (the message says why).
Result<WebhookUrl> parse_webhook_url(std::string_view text);

}  // namespace mpay::notify::webhooks
