// A merchant's webhook endpoint for tests: a small HTTP/1.1 server on 127.0.0.1 (an ephemeral
// port), plain or TLS (given a PEM certificate and key), that answers each request as its policy
// says (200, 500, or dropping the connection without an answer) and remembers every request it
// read.
//
// Asio and Beast stay in webhook_receiver.cc (built once, in mpay_test_support), out of the many
// test files that use the receiver.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mpay::notify::webhooks::testing {

struct ReceivedRequest {
  std::string target;
  std::map<std::string, std::string> headers;  // names as sent
  std::string body;
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

enum class ReceiverReply { ok, server_error, drop_connection };

class WebhookReceiver {
 public:
  using Policy = std::function<ReceiverReply(const ReceivedRequest&, int index)>;

  struct TlsFiles {
    std::string certificate_pem;
    std::string key_pem;
  };

  explicit WebhookReceiver(Policy policy, std::optional<TlsFiles> tls = std::nullopt);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Answers up to `n` requests per connection, the last with `Connection: close` (by default one,
  // without that header: the connection closes as a receiver's idle timeout would close it). Set
  // before the first request.
  void keep_alive_for(int n) { requests_per_connection_ = n; }
  int connections() const { return connections_.load(); }

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hooks/mpay", const std::string& host = "127.0.0.1") const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + path;
  }
  std::vector<ReceivedRequest> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // Requests that were answered 200, in order.
  std::vector<ReceivedRequest> accepted() {
    std::lock_guard lock(mutex_);
    return accepted_;
  }

 private:
  struct Network;  // Asio and Beast: the io_context, the acceptor, the TLS context, the reading
  void serve();
  // Remembers a request and asks the policy for the answer; an ok is remembered as accepted
  // before it is sent (the sender may look right after).
  ReceiverReply take(const ReceivedRequest& got);

  Policy policy_;
  std::unique_ptr<Network> network_;
  bool tls_ = false;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_per_connection_{1};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<ReceivedRequest> received_;
  std::vector<ReceivedRequest> accepted_;
  std::thread thread_;
};

}  // namespace mpay::notify::webhooks::testing
