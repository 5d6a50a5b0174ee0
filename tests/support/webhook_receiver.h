// A merchant's webhook endpoint for tests: a small HTTP/1.1 server on 127.0.0.1 (an ephemeral
// port), plain or TLS (given a PEM certificate and key), that answers each request as its policy
// says (200, 500, or dropping the connection without an answer) and remembers every request it
// read.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
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

  explicit WebhookReceiver(Policy policy, std::optional<TlsFiles> tls = std::nullopt)
      : policy_(std::move(policy)),
        acceptor_(io_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    if (tls) {
      tls_ = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain_file(tls->certificate_pem);
      tls_->use_private_key_file(tls->key_pem, boost::asio::ssl::context::pem);
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~WebhookReceiver() {
    stopping_ = true;
    // Unblock accept() with a connection of our own.
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
    thread_.join();
  }

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
  void serve() {
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code error;
      acceptor_.accept(socket, error);
      if (error || stopping_) continue;
      ++connections_;
      if (!tls_) {
        answer(socket);
        continue;
      }
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, *tls_);
      stream.handshake(boost::asio::ssl::stream_base::server, error);
      if (error) continue;  // e.g. the client refused our certificate
      answer(stream);
    }
  }

  template <typename Stream>
  void answer(Stream& stream) {
    boost::beast::flat_buffer buffer;
    for (int served = 1; answer_one(stream, buffer, served); ++served) {
    }
  }

  // False when the connection is done.
  template <typename Stream>
  bool answer_one(Stream& stream, boost::beast::flat_buffer& buffer, int served) {
    namespace http = boost::beast::http;
    boost::system::error_code error;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, error);
    if (error) return false;
    ReceivedRequest got{std::string(request.target()), {}, request.body()};
    for (const auto& field : request) got.headers[std::string(field.name_string())] = std::string(field.value());
    int index;
    {
      std::lock_guard lock(mutex_);
      index = static_cast<int>(received_.size());
      received_.push_back(got);
    }
    ReceiverReply reply = policy_(got, index);
    if (reply == ReceiverReply::drop_connection) return false;  // the socket closes unanswered
    http::response<http::string_body> response{
        reply == ReceiverReply::ok ? http::status::ok : http::status::internal_server_error, 11};
    response.body() = "{}";
    bool more = served < requests_per_connection_;
    if (requests_per_connection_ > 1) response.keep_alive(more);
    response.prepare_payload();
    if (reply == ReceiverReply::ok) {  // before answering: the sender may look right after
      std::lock_guard lock(mutex_);
      accepted_.push_back(got);
    }
    http::write(stream, response, error);
    return more && !error;
  }

  Policy policy_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
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
