// WebhookTransport over HTTP/1.1 with Boost.Beast, plain (http://) or TLS (https://, OpenSSL):
// resolve, connect, [TLS handshake], write the requests, read the responses. Connections are kept
// alive between attempts (HTTP/1.1 persistent connections): a busy merchant receives a stream of
// events, and a new TCP (and TLS) connection per event cost more than the event itself. Each
// calling thread keeps at most `idle_connections_max` idle connections (a transport only ever
// reuses its own: another may trust other certificates), each for at most kIdleLifetime. A
// caller that sends N sequences at once wants N kept: with fewer, every round opens the missing
// ones anew and closes them again (mpayd passes its --webhook-concurrency). A
// connection is kept only when the receiver's answer allows it (no `Connection: close`, a body of
// known length up to 64 KiB, read to its end). A kept connection the receiver has closed is noticed
// before use, or, if the close races the request, the attempt is made once more on a new connection
// before any answer was read (so a receiver may, rarely, see an event twice: deliveries are at
// least once anyway).
//
// Pipelining (RFC 9112 section 9.3.2): a sequence's requests to the same URL go out together, up
// to kPipelineDepthMax of them and kPipelineBytesMax of bodies in one write, and their answers are
// read in order. Under load a merchant's deliveries then cost one write and a read or two per
// batch on both sides instead of a round trip each. Each answer may take its request's timeout
// after the one before it (the first: after the write), as if sent one after the other. When the
// receiver closes the connection, or answers so that it cannot carry more (`Connection: close`, a
// long body), the requests it has not answered are sent again on another connection: it may have
// read them, which at least once allows (receivers dedupe by event id). A receiver that answers
// part of a pipeline and then nothing until the timeout is taken to read one request at a time:
// that request is the sequence's unanswered one, and the calling thread sends that receiver one
// request at a time for kOneAtATimeFor.
//
// TLS verifies the receiver's certificate chain (the system's trust store, or `ca_file` when
// given, e.g. a test CA) and that it names the URL's host; SNI carries the host name. A failed
// verification is a failed attempt ("certificate verify failed ..."), retried like any other.
//
// An attempt's connect, handshake, write and read are bounded by the request's timeout; a name
// lookup by the call's guard (a sequence never takes longer than all its attempts timing out). The
// status decides the attempt; the body is read (and dropped) only to keep the connection.
// `policy` (webhook_network_policy.h): an http:// URL while https is required fails its attempts
// with "https_required: ..."; a host that resolves only to refused addresses with
// "address_refused: ..." (nothing is connected to); of a host's addresses, only the allowed ones
// are connected to. Retried like any other failure: DNS and the policy may change.
// Thread-safe: each calling thread has its own io_context and idle connections, reused by its later
// attempts (see the .cc); the TLS context is shared read-only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "notify/webhooks/webhook_network_policy.h"
#include "notify/webhooks/webhook_transport.h"

namespace boost::asio::ssl {
class context;
}

namespace mpay::notify::webhooks {

inline constexpr size_t kIdleConnectionsPerThreadMax = 16;  // the default
// Shorter than common servers' idle timeouts (nginx 75 s), so most kept connections are still open.
inline constexpr std::chrono::seconds kIdleLifetime{30};
inline constexpr size_t kPipelineDepthMax = 16;
// Bodies per write (the first request always goes): about what a new TCP connection may send
// before its first acknowledgement, so a pipeline's write rarely waits on the receiver.
inline constexpr size_t kPipelineBytesMax = 64 * 1024;
inline constexpr std::chrono::hours kOneAtATimeFor{1};
inline constexpr size_t kOneAtATimeReceiversMax = 256;  // remembered per thread

class BeastWebhookTransport final : public WebhookTransport {
 public:
  // `ca_file`: PEM certificates to trust instead of the system's store; "" = the system's. If the
  // TLS context cannot be set up, https attempts fail with "tls_unavailable: ..." (http works).
  // `idle_connections_max`: kept per calling thread (at least 1).
  explicit BeastWebhookTransport(const std::string& ca_file = "",
                                 size_t idle_connections_max = kIdleConnectionsPerThreadMax,
                                 const WebhookNetworkPolicy& policy = {});
  ~BeastWebhookTransport() override;
  WebhookResponse post(const WebhookRequest& request) override;
  // The sequences at once, as coroutines on the calling thread's io_context, each on its own
  // connection (kept or new) and pipelined, so one thread keeps many slow receivers waiting in
  // parallel.
  std::vector<std::vector<WebhookResponse>> post_sequences(
      const std::vector<WebhookSequence>& sequences) override;

 private:
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::string tls_error_;
  uint64_t instance_ = 0;  // tells this transport's kept connections from another's
  size_t idle_connections_max_;
  WebhookNetworkPolicy policy_;
};

}  // namespace mpay::notify::webhooks
