#include "webhook_receiver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include <thread>

namespace mpay::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A read buffer with room for a whole pipelined batch (at most 16 requests, 64 KiB of bodies).
constexpr size_t kBatchReadBytes = 96 * 1024;

// The receiver's io_context runs on one thread: its sockets keep that executor's concrete type
// rather than the type-erased any_io_executor, which costs a few percent per operation.
using ReceiverSocket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

// One accepted connection: read requests, answer each 200, until the sender closes. Requests
// that arrive together (mpayd pipelines a merchant's deliveries) are answered together: their
// answers go out in one write once no further request is waiting in the buffer, as HTTP servers
// do, so the receiver costs a write per batch rather than per delivery.
class ReceiverConnection : public std::enable_shared_from_this<ReceiverConnection> {
 public:
  ReceiverConnection(ReceiverSocket socket, std::atomic<uint64_t>& requests)
      : socket_(std::move(socket)), requests_(requests) {
    buffer_.reserve(kBatchReadBytes);  // one read per batch (Beast reads the free room at most)
  }

  void read() {
    request_ = {};
    http::async_read(socket_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;  // closed by the sender or broken
      self->answer();
    });
  }

 private:
  void answer() {
    requests_.fetch_add(1, std::memory_order_relaxed);
    bool keep_alive = request_.keep_alive();
    answers_ += request_.version() == 10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n";
    answers_ += keep_alive ? "Content-Length: 0\r\n\r\n" : "Content-Length: 0\r\nConnection: close\r\n\r\n";
    if (keep_alive && buffer_.size() > 0) return read();  // the next request is (partly) here already
    writing_ = std::move(answers_);
    answers_.clear();
    asio::async_write(socket_, asio::buffer(writing_),
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return;
                        self->read();
                      });
  }

  ReceiverSocket socket_;
  std::atomic<uint64_t>& requests_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::string answers_;  // not yet written
  std::string writing_;
};

}  // namespace

struct WebhookReceiver::State {
  asio::io_context context{1};
  tcp::acceptor acceptor{context};
  uint16_t port = 0;
  std::thread thread;

  void accept(std::atomic<uint64_t>& requests) {
    acceptor.async_accept(
        context.get_executor(), [this, &requests](beast::error_code ec, ReceiverSocket socket) {
          if (ec) return;  // stopped
          std::make_shared<ReceiverConnection>(std::move(socket), requests)->read();
          accept(requests);
        });
  }
};

Result<std::unique_ptr<WebhookReceiver>> WebhookReceiver::start() {
  std::unique_ptr<WebhookReceiver> receiver(new WebhookReceiver());
  receiver->state_ = std::make_unique<State>();
  State& s = *receiver->state_;
  beast::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error("webhook_receiver", "cannot listen on 127.0.0.1: " + ec.message());
  s.port = s.acceptor.local_endpoint().port();
  s.accept(receiver->requests_);
  s.thread = std::thread([&s] { s.context.run(); });
  return receiver;
}

WebhookReceiver::~WebhookReceiver() {
  if (!state_) return;
  state_->context.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + "/webhooks";
}

}  // namespace mpay::bench
