#include "support/webhook_receiver.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mpay::notify::webhooks::testing {

namespace http = boost::beast::http;

struct WebhookReceiver::Network {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  std::unique_ptr<boost::asio::ssl::context> tls;

  template <typename Stream>
  static void answer(WebhookReceiver& receiver, Stream& stream) {
    boost::beast::flat_buffer buffer;
    for (int served = 1; answer_one(receiver, stream, buffer, served); ++served) {
    }
  }

  // False when the connection is done.
  template <typename Stream>
  static bool answer_one(WebhookReceiver& receiver, Stream& stream,
                         boost::beast::flat_buffer& buffer, int served) {
    boost::system::error_code error;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, error);
    if (error) return false;
    ReceivedRequest got{std::string(request.target()), {}, request.body()};
    for (const auto& field : request)
      got.headers[std::string(field.name_string())] = std::string(field.value());
    ReceiverReply reply = receiver.take(got);
    if (reply == ReceiverReply::drop_connection) return false;  // the socket closes unanswered
    http::response<http::string_body> response{
        reply == ReceiverReply::ok ? http::status::ok : http::status::internal_server_error, 11};
    response.body() = "{}";
    bool more = served < receiver.requests_per_connection_;
    if (receiver.requests_per_connection_ > 1) response.keep_alive(more);
    response.prepare_payload();
    http::write(stream, response, error);
    return more && !error;
  }
};

WebhookReceiver::WebhookReceiver(Policy policy, std::optional<TlsFiles> tls)
    : policy_(std::move(policy)), network_(std::make_unique<Network>()), tls_(tls.has_value()) {
  port_ = network_->acceptor.local_endpoint().port();
  if (tls) {
    network_->tls =
        std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    network_->tls->use_certificate_chain_file(tls->certificate_pem);
    network_->tls->use_private_key_file(tls->key_pem, boost::asio::ssl::context::pem);
  }
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  // Unblock accept() with a connection of our own.
  boost::system::error_code ignored;
  boost::asio::ip::tcp::socket poke(network_->io);
  poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
  thread_.join();
}

void WebhookReceiver::serve() {
  while (!stopping_) {
    boost::asio::ip::tcp::socket socket(network_->io);
    boost::system::error_code error;
    network_->acceptor.accept(socket, error);
    if (error || stopping_) continue;
    ++connections_;
    if (!network_->tls) {
      Network::answer(*this, socket);
      continue;
    }
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, *network_->tls);
    stream.handshake(boost::asio::ssl::stream_base::server, error);
    if (error) continue;  // e.g. the client refused our certificate
    Network::answer(*this, stream);
  }
}

ReceiverReply WebhookReceiver::take(const ReceivedRequest& got) {
  int index;
  {
    std::lock_guard lock(mutex_);
    index = static_cast<int>(received_.size());
    received_.push_back(got);
  }
  ReceiverReply reply = policy_(got, index);
  if (reply == ReceiverReply::ok) {
    std::lock_guard lock(mutex_);
    accepted_.push_back(got);
  }
  return reply;
}

}  // namespace mpay::notify::webhooks::testing
