#include "notify/webhooks/beast_webhook_transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <chrono>
#include <exception>
#include <limits>
#include <memory>
#include <vector>

#include "notify/webhooks/webhook_url.h"

namespace mpay::notify::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

inline constexpr size_t kResponseHeaderBytesMax = 16 * 1024;
// A longer answer is not read to its end: the attempt still counts, the connection is not kept.
inline constexpr size_t kResponseBodyBytesMax = 64 * 1024;

// One connection to a receiver, plain or TLS, kept between attempts when the receiver allows it.
struct Connection {
  std::string key;  // "<transport> http://host:port": which attempts may use it
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  SteadyClock::time_point idle_since;

  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }
};

// What one exchange on a connection found out.
struct Exchange {
  WebhookResponse response;
  bool answered = false;  // a status line arrived
  bool reusable = false;  // the answer ended where its length said, and the receiver keeps the connection
};

template <typename Stream>
asio::awaitable<void> write_and_read(Stream& stream, const WebhookUrl& url, const WebhookRequest& request,
                                    Exchange& exchange) {
  http::request<http::string_body> message{http::verb::post, url.target, 11};
  message.set(http::field::host, url.host_header());
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();
  co_await http::async_write(stream, message, asio::use_awaitable);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kResponseHeaderBytesMax);
  // Beast checks a Content-Length against the body limit while reading the head: the limit is
  // set after it, so a long answer still yields its status. (Not boost::none: Boost 1.74 compares
  // a Content-Length with the empty optional and finds every length over the limit.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
  exchange.response.http_status = parser.get().result_int();
  exchange.answered = true;
  // The status decides the attempt; the body is read only so the connection can carry the next.
  if (!parser.keep_alive() || parser.need_eof()) co_return;
  if (parser.content_length().value_or(0) > kResponseBodyBytesMax) co_return;
  parser.body_limit(kResponseBodyBytesMax);  // a chunked body is counted as it comes
  if (!parser.is_done()) {
    beast::error_code ignored;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ignored));
    if (ignored || !parser.is_done()) co_return;
  }
  exchange.reusable = buffer.size() == 0;  // anything after the answer is a receiver we do not understand
}

asio::awaitable<void> connect(Connection& connection, const WebhookUrl& url, ssl::context* tls) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), asio::use_awaitable);
  if (tls == nullptr) {
    co_await connection.plain->async_connect(endpoints, asio::use_awaitable);
    co_return;
  }
  if (SSL_set_tlsext_host_name(connection.tls->native_handle(), url.host.c_str()) != 1) {
    throw beast::system_error(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  }
  connection.tls->set_verify_callback(ssl::host_name_verification(url.host));
  co_await beast::get_lowest_layer(*connection.tls).async_connect(endpoints, asio::use_awaitable);
  co_await connection.tls->async_handshake(ssl::stream_base::client, asio::use_awaitable);
}

asio::awaitable<void> attempt_on(Connection& connection, bool fresh, const WebhookUrl& url,
                                 const WebhookRequest& request, ssl::context* tls, std::chrono::nanoseconds timeout,
                                 Exchange& exchange) {
  // One deadline for connect, handshake, write and read.
  connection.lowest().expires_after(timeout);
  if (fresh) co_await connect(connection, url, tls);
  if (connection.plain) {
    co_await write_and_read(*connection.plain, url, request, exchange);
  } else {
    // No TLS close_notify exchange when a connection is dropped: the answer is in hand, and a
    // receiver that never sends its own would cost us the rest of the timeout.
    co_await write_and_read(*connection.tls, url, request, exchange);
  }
}

// The calling thread's io_context and its idle connections, reused from attempt to attempt.
// Asio runs asynchronous name lookups on a private thread per io_context, so a fresh io_context
// per attempt started and joined a thread every time. An attempt that timed out may leave handlers
// that refer to its stack: drop_attempt_thread() then discards the io_context with every
// connection on it, and the thread's next attempt starts anew.
struct AttemptThread {
  std::unique_ptr<asio::io_context> io;
  std::vector<std::unique_ptr<Connection>> idle;  // oldest first
};
thread_local AttemptThread attempt_thread;

asio::io_context& attempt_context() {
  if (!attempt_thread.io) attempt_thread.io = std::make_unique<asio::io_context>(1);
  attempt_thread.io->restart();  // a run that ran out of work leaves it stopped
  return *attempt_thread.io;
}

void drop_attempt_thread() {
  attempt_thread.idle.clear();  // the connections belong to the io_context: they go first
  attempt_thread.io.reset();
}

// An idle connection the receiver has not closed: nothing to read yet. A plain connection with
// bytes waiting is out of step and dropped; on TLS they may be a session ticket, so only the close
// counts (a close_notify that slips through fails the write or read, and the attempt is retried).
bool still_open(Connection& connection) {
  char byte;
  ssize_t n = ::recv(connection.lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return n > 0 && connection.tls != nullptr;
}

std::unique_ptr<Connection> take_idle(const std::string& key) {
  auto now = SteadyClock::now();
  std::vector<std::unique_ptr<Connection>>& idle = attempt_thread.idle;
  std::erase_if(idle, [&](const std::unique_ptr<Connection>& c) { return now - c->idle_since > kIdleLifetime; });
  for (auto it = idle.rbegin(); it != idle.rend(); ++it) {
    if ((*it)->key != key) continue;
    std::unique_ptr<Connection> connection = std::move(*it);
    idle.erase(std::next(it).base());
    if (still_open(*connection)) return connection;
    return take_idle(key);  // that one was closed by the receiver: try an older one
  }
  return nullptr;
}

void keep_idle(std::unique_ptr<Connection> connection) {
  connection->lowest().expires_never();
  connection->idle_since = SteadyClock::now();
  std::vector<std::unique_ptr<Connection>>& idle = attempt_thread.idle;
  if (idle.size() >= kIdleConnectionsPerThreadMax) idle.erase(idle.begin());
  idle.push_back(std::move(connection));
}

std::string error_text(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const boost::system::system_error& error) {
    return error.code() == beast::error::timeout ? "timeout" : error.code().message();
  } catch (const std::exception& error) {
    return error.what();
  }
}

// What attempts need of their transport.
struct TransportSettings {
  ssl::context* tls;  // null when TLS could not be set up
  std::string tls_error;
  uint64_t instance;
};

// One sequence in flight. Owned by post_sequences(), not by the coroutine: when the guard below
// stops the io_context, the connection is closed here and the coroutine's frame is destroyed
// with the io_context without ever running again.
struct SequenceRun {
  const WebhookSequence* requests = nullptr;
  std::vector<WebhookResponse> answers;
  std::unique_ptr<Connection> connection;  // the one the current request uses
  SteadyClock::time_point current_started;
  bool finished = false;
};

asio::awaitable<WebhookResponse> attempt(const TransportSettings& settings, SequenceRun& run,
                                         const WebhookRequest& request,
                                         asio::any_io_executor executor);

asio::awaitable<void> run_sequence(const TransportSettings& settings, SequenceRun& run,
                                   SteadyClock::time_point began) {
  auto executor = co_await asio::this_coro::executor;
  for (const WebhookRequest& request : *run.requests) {
    run.current_started = SteadyClock::now();
    if (run.current_started - began > std::chrono::nanoseconds(request.start_within_ns)) break;
    WebhookResponse response = co_await attempt(settings, run, request, executor);
    response.started_after_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(run.current_started - began).count();
    response.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() -
                                                                                run.current_started)
                               .count();
    bool answered = response.http_status != 0;
    run.answers.push_back(std::move(response));
    if (!answered) break;  // no answer at all: the rest would wait out the same silence
  }
  run.finished = true;
}

asio::awaitable<WebhookResponse> attempt(const TransportSettings& settings, SequenceRun& run,
                                         const WebhookRequest& request,
                                         asio::any_io_executor executor) {
  WebhookResponse response;
  Result<WebhookUrl> url = parse_webhook_url(request.url);
  if (!url.ok()) {
    response.error = "url_invalid";
    co_return response;
  }
  if (url->secure && settings.tls == nullptr) {
    response.error = settings.tls_error;
    co_return response;
  }
  ssl::context* tls = url->secure ? settings.tls : nullptr;
  // Kept connections belong to their transport: another one may trust other certificates.
  std::string key = std::to_string(settings.instance) + (url->secure ? " https://" : " http://") +
                    url->host + ":" + std::to_string(url->port);
  auto timeout = std::chrono::nanoseconds(request.timeout_ns);

  // A kept connection first; if the receiver closed it before answering (it may time out idle
  // connections at any moment), the attempt is made again on a new one.
  run.connection = take_idle(key);
  for (bool fresh : {false, true}) {
    if (!fresh && !run.connection) continue;
    if (fresh) {
      run.connection = std::make_unique<Connection>();
      run.connection->key = key;
      if (tls == nullptr) {
        run.connection->plain = std::make_unique<beast::tcp_stream>(executor);
      } else {
        run.connection->tls =
            std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, *tls);
      }
    }
    Exchange exchange;
    std::exception_ptr failure;
    try {
      co_await attempt_on(*run.connection, fresh, *url, request, tls, timeout, exchange);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      run.connection.reset();
      std::string error = error_text(failure);
      if (!fresh && !exchange.answered && error != "timeout") continue;  // a stale connection
      response.http_status = 0;
      response.error = std::move(error);
      co_return response;
    }
    if (exchange.reusable) {
      keep_idle(std::move(run.connection));
    } else {
      run.connection.reset();
    }
    co_return exchange.response;
  }
  response.error = "no_attempt";  // not reached: the fresh pass always returns
  co_return response;
}

}  // namespace

BeastWebhookTransport::BeastWebhookTransport(const std::string& ca_file) {
  static std::atomic<uint64_t> instances{0};
  instance_ = ++instances;
  try {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    context->set_verify_mode(ssl::verify_peer);
    if (ca_file.empty()) {
      context->set_default_verify_paths();
    } else {
      context->load_verify_file(ca_file);
    }
    tls_ = std::move(context);
  } catch (const std::exception& error) {
    tls_error_ = std::string("tls_unavailable: ") + error.what();
  }
}

BeastWebhookTransport::~BeastWebhookTransport() = default;

std::vector<std::vector<WebhookResponse>> BeastWebhookTransport::post_sequences(
    const std::vector<WebhookSequence>& sequences) {
  const SteadyClock::time_point began = SteadyClock::now();
  std::vector<SequenceRun> runs(sequences.size());
  const TransportSettings settings{tls_.get(), tls_error_, instance_};
  asio::io_context& io = attempt_context();
  // Each attempt's stream expiry bounds its connect, handshake, write and read; this bounds the
  // name lookups too: no sequence may take longer than all its attempts timing out.
  std::chrono::nanoseconds guard{0};
  for (size_t i = 0; i < sequences.size(); ++i) {
    runs[i].requests = &sequences[i];
    runs[i].current_started = began;
    std::chrono::nanoseconds total{0};
    for (const WebhookRequest& request : sequences[i]) {
      total += std::chrono::nanoseconds(request.timeout_ns) + std::chrono::milliseconds(100);
    }
    guard = std::max(guard, total);
    // Nothing may escape into io.run_for() (the dispatcher's thread): a failure outside an
    // attempt (out of memory) ends the sequence with an attempt that got no answer.
    asio::co_spawn(io, run_sequence(settings, runs[i], began),
                   [&run = runs[i]](std::exception_ptr failure) {
                     if (failure && run.answers.size() < run.requests->size()) {
                       WebhookResponse failed;
                       failed.error = error_text(failure);
                       run.answers.push_back(std::move(failed));
                     }
                     run.finished = true;
                   });
  }
  io.run_for(guard);
  bool all_finished =
      std::all_of(runs.begin(), runs.end(), [](const SequenceRun& run) { return run.finished; });
  if (!all_finished) {
    // Pending handlers refer to the runs: they go with the io_context, before the runs do.
    io.stop();
    for (SequenceRun& run : runs) {
      if (run.finished) continue;
      run.connection.reset();
      WebhookResponse timed_out;
      timed_out.error = "timeout";
      timed_out.started_after_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(run.current_started - began).count();
      timed_out.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  SteadyClock::now() - run.current_started)
                                  .count();
      if (run.answers.size() < run.requests->size()) run.answers.push_back(std::move(timed_out));
    }
    drop_attempt_thread();
  }
  std::vector<std::vector<WebhookResponse>> answers;
  answers.reserve(runs.size());
  for (SequenceRun& run : runs) answers.push_back(std::move(run.answers));
  return answers;
}

WebhookResponse BeastWebhookTransport::post(const WebhookRequest& request) {
  std::vector<std::vector<WebhookResponse>> answers = post_sequences({WebhookSequence{request}});
  if (answers.front().empty()) {
    WebhookResponse not_started;  // a start_within_ns of 0 or less
    not_started.error = "not_started";
    return not_started;
  }
  return std::move(answers.front().front());
}

}  // namespace mpay::notify::webhooks
