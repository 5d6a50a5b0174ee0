// How one attempt reaches a merchant: an interface, so the dispatcher can be driven in tests by a
// fake (no sockets, a ManualClock) and over real HTTP by BeastWebhookTransport.
//
// post() blocks for at most about `timeout_ns` of real time and never throws. Thread-safe: the
// dispatcher calls it from several workers at once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mpay::notify::webhooks {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host and Content-Length
  std::string body;
  int64_t timeout_ns = 10'000'000'000;
};

struct WebhookResponse {
  unsigned http_status = 0;  // 0 when no response arrived
  std::string error;         // empty when a response arrived; else why not ("timeout", ...)
  bool success() const { return error.empty() && http_status >= 200 && http_status < 300; }
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual WebhookResponse post(const WebhookRequest& request) = 0;
};

}  // namespace mpay::notify::webhooks
