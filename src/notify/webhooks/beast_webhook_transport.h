// WebhookTransport over plain HTTP/1.1 with Boost.Beast: resolve, connect, write the request,
// read the response head, close (one connection per attempt: receivers are many and attempts to
// one of them are spread out, so keeping connections alive buys little).
//
// The whole attempt (name lookup included) is bounded by the request's timeout. Only the status
// line and headers are read; the body is ignored. https:// URLs are refused with the error
// "https_unsupported" until TLS is wired in. Thread-safe: each post() uses its own io_context.
#pragma once

#include "notify/webhooks/webhook_transport.h"

namespace mpay::notify::webhooks {

class BeastWebhookTransport final : public WebhookTransport {
 public:
  WebhookResponse post(const WebhookRequest& request) override;
};

}  // namespace mpay::notify::webhooks
