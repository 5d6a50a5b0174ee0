// WebhookTransport over HTTP/1.1 with Boost.Beast, plain (http://) or TLS (https://, OpenSSL):
// resolve, connect, [TLS handshake], write the request, read the response head, close. One
// connection per attempt: receivers are many and attempts to one of them are spread out, so
// keeping connections alive buys little.
//
// TLS verifies the receiver's certificate chain (the system's trust store, or `ca_file` when
// given, e.g. a test CA) and that it names the URL's host; SNI carries the host name. A failed
// verification is a failed attempt ("certificate verify failed ..."), retried like any other.
//
// The whole attempt (name lookup included) is bounded by the request's timeout. Only the status
// line and headers are read; the body is ignored. Thread-safe: each calling thread has its own
// io_context, reused by its later attempts (see the .cc); the TLS context is shared read-only.
#pragma once

#include <memory>
#include <string>

#include "notify/webhooks/webhook_transport.h"

namespace boost::asio::ssl {
class context;
}

namespace mpay::notify::webhooks {

class BeastWebhookTransport final : public WebhookTransport {
 public:
  // `ca_file`: PEM certificates to trust instead of the system's store; "" = the system's. If the
  // TLS context cannot be set up, https attempts fail with "tls_unavailable: ..." (http works).
  explicit BeastWebhookTransport(const std::string& ca_file = "");
  ~BeastWebhookTransport() override;
  WebhookResponse post(const WebhookRequest& request) override;

 private:
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::string tls_error_;
};

}  // namespace mpay::notify::webhooks
