// A merchant's webhook endpoint for `mpay-bench request-to-pay`: an HTTP/1.1 server on a free
// loopback port, on its own thread, that answers every request 200 (empty body) and counts them.
//
// Why: the bench's merchants need a webhook URL, and one that refuses connections makes every
// delivery a failed attempt that mpayd records and retries; that is load a merchant with a
// working endpoint never causes. The receiver does not check signatures (the bench measures mpayd,
// not the merchant); it shares the machine's CPU with mpayd and the load generator.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"

namespace mpay::bench {

class WebhookReceiver {
 public:
  // Listening when it returns.
  static Result<std::unique_ptr<WebhookReceiver>> start();
  ~WebhookReceiver();  // stops the thread, closes every connection
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // "http://127.0.0.1:PORT/webhooks"
  std::string url() const;
  uint64_t requests() const { return requests_.load(); }

  struct State;  // Asio types stay out of this header

 private:
  WebhookReceiver() = default;
  std::unique_ptr<State> state_;
  std::atomic<uint64_t> requests_{0};
};

}  // namespace mpay::bench
