// WebhookTransport over HTTP/1.1 with Boost.Beast, plain (http://) or TLS (https://, OpenSSL):
// resolve, connect, [TLS handshake], write the request, read the response. Connections are kept
// alive between attempts (HTTP/1.1 persistent connections): a busy merchant receives a stream of
// events, and a new TCP (and TLS) connection per event cost more than the event itself. Each
// calling thread keeps at most kIdleConnectionsPerThreadMax idle connections (a transport only
// ever reuses its own: another may trust other certificates), each for at most kIdleLifetime; a
// connection is kept only when the receiver's answer allows it (no `Connection: close`, a body of
// known length up to 64 KiB, read to its end). A kept connection the receiver has closed is noticed
// before use, or, if the close races the request, the attempt is made once more on a new connection
// before any answer was read (so a receiver may, rarely, see an event twice: deliveries are at
// least once anyway).
//
// TLS verifies the receiver's certificate chain (the system's trust store, or `ca_file` when
// given, e.g. a test CA) and that it names the URL's host; SNI carries the host name. A failed
// verification is a failed attempt ("certificate verify failed ..."), retried like any other.
//
// An attempt's connect, handshake, write and read are bounded by the request's timeout; a name
// lookup by the call's guard (a sequence never takes longer than all its attempts timing out). The
// status decides the attempt; the body is read (and dropped) only to keep the connection.
// Thread-safe: each calling thread has its own io_context and idle connections, reused by its later
// attempts (see the .cc); the TLS context is shared read-only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "notify/webhooks/webhook_transport.h"

namespace boost::asio::ssl {
class context;
}

namespace mpay::notify::webhooks {

inline constexpr size_t kIdleConnectionsPerThreadMax = 16;
// Shorter than common servers' idle timeouts (nginx 75 s), so most kept connections are still open.
inline constexpr std::chrono::seconds kIdleLifetime{30};

class BeastWebhookTransport final : public WebhookTransport {
 public:
  // `ca_file`: PEM certificates to trust instead of the system's store; "" = the system's. If the
  // TLS context cannot be set up, https attempts fail with "tls_unavailable: ..." (http works).
  explicit BeastWebhookTransport(const std::string& ca_file = "");
  ~BeastWebhookTransport() override;
  WebhookResponse post(const WebhookRequest& request) override;
  // The sequences at once, as coroutines on the calling thread's io_context, each on its own
  // connection (kept or new), so one thread keeps many slow receivers waiting in parallel.
  std::vector<std::vector<WebhookResponse>> post_sequences(
      const std::vector<WebhookSequence>& sequences) override;

 private:
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::string tls_error_;
  uint64_t instance_ = 0;  // tells this transport's kept connections from another's
};

}  // namespace mpay::notify::webhooks
