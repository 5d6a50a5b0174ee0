// How attempts reach a merchant: an interface, so the dispatcher can be driven in tests by a fake
// (no sockets, a ManualClock) and over real HTTP by BeastWebhookTransport.
//
// post() makes one attempt; post_sequences() makes many: the requests of each sequence in order
// (one after the other, or pipelined on one connection: BeastWebhookTransport), the sequences at
// the same time (a transport that cannot overlap them, like the default below, sends them one after
// the other). A sequence stops after its first request that got no answer at all (http_status 0),
// since waiting out the same silence again would only hold up the rest, and before a request whose
// start_within_ns has passed. Requests after the stop are not reported, even if a pipeline carried
// them to the receiver: the caller offers them again (at least once). Both block for at most about
// the requests' timeouts of real time and never throw. Thread-safe: the dispatcher calls them from
// several threads at once.
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
  // post_sequences() does not start this request later than this much real time after the call
  // began (its sequence stops there, unanswered): the signature's time, taken when the request was
  // made, must still be fresh for the receiver (5 minutes).
  int64_t start_within_ns = 60'000'000'000;
};

struct WebhookResponse {
  unsigned http_status = 0;  // 0 when no response arrived
  std::string error;         // empty when a response arrived; else why not ("timeout", ...)
  // Real time: when the attempt began, counted from the start of the post_sequences() call, and
  // how long it took. post() leaves them 0.
  int64_t started_after_ns = 0;
  int64_t duration_ns = 0;
  bool success() const { return error.empty() && http_status >= 200 && http_status < 300; }
};

using WebhookSequence = std::vector<WebhookRequest>;

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual WebhookResponse post(const WebhookRequest& request) = 0;
  // One answer per request answered, in order, then the unanswered one it stopped at, if any:
  // shorter than its sequence when it stopped early.
  virtual std::vector<std::vector<WebhookResponse>> post_sequences(
      const std::vector<WebhookSequence>& sequences);
};

}  // namespace mpay::notify::webhooks
