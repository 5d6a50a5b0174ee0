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
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "notify/webhooks/webhook_network_policy.h"
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

// What one pipeline on a connection found out.
struct Exchange {
  std::vector<WebhookResponse> answers;  // one per request answered, in order
  // Every answer ended where its length said, and the receiver keeps the connection.
  bool reusable = false;
};

// The requests back to back, as they go on the wire: one write carries the whole pipeline.
std::string serialized(const WebhookUrl& url, std::span<const WebhookRequest> requests) {
  std::string wire;
  for (const WebhookRequest& request : requests) {
    http::request<http::string_body> message{http::verb::post, url.target, 11};
    message.set(http::field::host, url.host_header());
    for (const auto& [name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    http::request_serializer<http::string_body> serializer{message};
    beast::error_code error;  // a string body cannot fail to serialize
    while (!error && !serializer.is_done()) {
      serializer.next(error, [&](beast::error_code&, const auto& buffers) {
        for (auto buffer : beast::buffers_range_ref(buffers)) {
          wire.append(static_cast<const char*>(buffer.data()), buffer.size());
        }
        serializer.consume(beast::buffer_bytes(buffers));
      });
    }
  }
  return wire;
}

// Reads one answer into `response`; true if the connection can carry the next one.
template <typename Stream>
asio::awaitable<bool> read_answer(Stream& stream, beast::flat_buffer& buffer,
                                  WebhookResponse& response) {
  http::response_parser<http::string_body> parser;
  parser.header_limit(kResponseHeaderBytesMax);
  // Beast checks a Content-Length against the body limit while reading the head: the limit is
  // set after it, so a long answer still yields its status. (Not boost::none: Boost 1.74 compares
  // a Content-Length with the empty optional and finds every length over the limit.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
  response.http_status = parser.get().result_int();
  // The status decides the attempt; the body is read only so the connection can carry the next.
  if (!parser.keep_alive() || parser.need_eof()) co_return false;
  if (parser.content_length().value_or(0) > kResponseBodyBytesMax) co_return false;
  parser.body_limit(kResponseBodyBytesMax);  // a chunked body is counted as it comes
  if (!parser.is_done()) {
    beast::error_code ignored;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ignored));
    if (ignored || !parser.is_done()) co_return false;
  }
  co_return true;
}

// Writes the requests at once and reads their answers in order, each within its request's timeout
// after the one before it (the first: after the write). Stops early, without an error, when an
// answer leaves the connection unable to carry the next one; throws when the connection fails.
template <typename Stream>
asio::awaitable<void> write_and_read(Stream& stream, beast::tcp_stream& lowest,
                                     const WebhookUrl& url,
                                     std::span<const WebhookRequest> requests,
                                     SteadyClock::time_point started, Exchange& exchange) {
  std::string wire = serialized(url, requests);
  co_await asio::async_write(stream, asio::buffer(wire), asio::use_awaitable);
  beast::flat_buffer buffer;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (i > 0) lowest.expires_after(std::chrono::nanoseconds(requests[i].timeout_ns));
    WebhookResponse response;
    bool more = co_await read_answer(stream, buffer, response);
    response.duration_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - started).count();
    exchange.answers.push_back(std::move(response));
    if (!more) co_return;
  }
  // Anything after the answers is a receiver we do not understand.
  exchange.reusable = buffer.size() == 0;
}

// The resolved addresses the policy lets webhooks go to; throws address_refused when none is.
// Only these are connected to, so the address checked is the address used.
std::vector<tcp::endpoint> allowed_endpoints(const tcp::resolver::results_type& resolved,
                                             const WebhookNetworkPolicy& policy) {
  std::vector<tcp::endpoint> allowed;
  std::optional<std::string_view> refused;
  for (const auto& entry : resolved) {
    asio::ip::address address = entry.endpoint().address();
    std::optional<std::string_view> range;
    if (!policy.private_networks_allowed) {
      if (address.is_v4()) {
        range = special_purpose_range(address.to_v4().to_bytes());
      } else {
        range = special_purpose_range(address.to_v6().to_bytes());
      }
    }
    if (range) {
      refused = range;
    } else {
      allowed.push_back(entry.endpoint());
    }
  }
  if (allowed.empty() && refused) {
    throw std::runtime_error(std::string(kAddressRefused) + ": the host resolves only to " +
                             "addresses in special-purpose ranges (" + std::string(*refused) +
                             "); this mpayd sends webhooks to public addresses only");
  }
  return allowed;
}

asio::awaitable<void> connect(Connection& connection, const WebhookUrl& url, ssl::context* tls,
                              const WebhookNetworkPolicy& policy) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto resolved =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), asio::use_awaitable);
  std::vector<tcp::endpoint> endpoints = allowed_endpoints(resolved, policy);
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
                                 std::span<const WebhookRequest> requests, ssl::context* tls,
                                 const WebhookNetworkPolicy& policy,
                                 SteadyClock::time_point started, Exchange& exchange) {
  // One deadline for connect, handshake, write and the first answer.
  connection.lowest().expires_after(std::chrono::nanoseconds(requests.front().timeout_ns));
  if (fresh) co_await connect(connection, url, tls, policy);
  if (connection.plain) {
    co_await write_and_read(*connection.plain, connection.lowest(), url, requests, started,
                            exchange);
  } else {
    // No TLS close_notify exchange when a connection is dropped: the answer is in hand, and a
    // receiver that never sends its own would cost us the rest of the timeout.
    co_await write_and_read(*connection.tls, connection.lowest(), url, requests, started, exchange);
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
  // Receivers (by connection key) that went silent in the middle of a pipeline, and until when
  // they get one request at a time.
  std::unordered_map<std::string, SteadyClock::time_point> one_at_a_time;
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

// A receiver that answered part of a pipeline and then nothing may read one request per read and
// drop the rest: from now on it gets one request at a time, for kOneAtATimeFor.
void remember_one_at_a_time(const std::string& key) {
  auto now = SteadyClock::now();
  auto& receivers = attempt_thread.one_at_a_time;
  std::erase_if(receivers, [&](const auto& entry) { return entry.second <= now; });
  if (receivers.size() >= kOneAtATimeReceiversMax) receivers.erase(receivers.begin());
  receivers[key] = now + kOneAtATimeFor;
}

size_t pipeline_depth_for(const std::string& key) {
  auto& receivers = attempt_thread.one_at_a_time;
  auto found = receivers.find(key);
  if (found == receivers.end()) return kPipelineDepthMax;
  if (found->second > SteadyClock::now()) return 1;
  receivers.erase(found);
  return kPipelineDepthMax;
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

void keep_idle(std::unique_ptr<Connection> connection, size_t idle_max) {
  connection->lowest().expires_never();
  connection->idle_since = SteadyClock::now();
  std::vector<std::unique_ptr<Connection>>& idle = attempt_thread.idle;
  // Another transport on this thread may have kept more: the oldest go until this one fits.
  while (idle.size() >= idle_max) idle.erase(idle.begin());
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
  size_t idle_connections_max;
  WebhookNetworkPolicy policy;
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

// What one pipeline came to: an answer per request answered, in order, and, when `stop`, a last
// one that got none (the sequence ends there). Fewer answers than requests without `stop`: the
// connection could carry no more, and the rest go on another.
struct Pipelined {
  std::vector<WebhookResponse> answers;
  bool stop = false;
};

Pipelined unanswered(std::string error) {
  Pipelined result;
  result.answers.emplace_back().error = std::move(error);
  result.stop = true;
  return result;
}

// The requests from the front of `requests` that go to the same URL, within their start window,
// at most `depth` and kPipelineBytesMax of bodies (always at least the first).
size_t pipeline_length(std::span<const WebhookRequest> requests, size_t depth,
                       SteadyClock::duration since_began) {
  size_t length = 1;
  size_t bytes = requests.front().body.size();
  while (length < std::min(depth, requests.size())) {
    const WebhookRequest& next = requests[length];
    if (next.url != requests.front().url ||
        since_began > std::chrono::nanoseconds(next.start_within_ns))
      break;
    bytes += next.body.size();
    if (bytes > kPipelineBytesMax) break;
    ++length;
  }
  return length;
}

asio::awaitable<Pipelined> attempt(const TransportSettings& settings, SequenceRun& run,
                                   std::span<const WebhookRequest> requests,
                                   SteadyClock::time_point began, asio::any_io_executor executor);

asio::awaitable<void> run_sequence(const TransportSettings& settings, SequenceRun& run,
                                   SteadyClock::time_point began) {
  auto executor = co_await asio::this_coro::executor;
  std::span<const WebhookRequest> rest(*run.requests);
  while (!rest.empty()) {
    run.current_started = SteadyClock::now();
    if (run.current_started - began > std::chrono::nanoseconds(rest.front().start_within_ns)) break;
    Pipelined pipelined = co_await attempt(settings, run, rest, began, executor);
    int64_t started_after_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(run.current_started - began).count();
    for (WebhookResponse& response : pipelined.answers) {
      response.started_after_ns = started_after_ns;
      if (response.duration_ns == 0) {
        response.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   SteadyClock::now() - run.current_started)
                                   .count();
      }
      run.answers.push_back(std::move(response));
    }
    if (pipelined.stop) break;  // no answer at all: the rest would wait out the same silence
    rest = rest.subspan(std::min(rest.size(), pipelined.answers.size()));
  }
  run.finished = true;
}

// The requests at the front of `requests` that make one pipeline, on a kept connection or a new
// one. A kept connection the receiver closed before answering anything is replaced by a new one
// for the same requests (it may have read them: at least once).
asio::awaitable<Pipelined> attempt(const TransportSettings& settings, SequenceRun& run,
                                   std::span<const WebhookRequest> requests,
                                   SteadyClock::time_point began, asio::any_io_executor executor) {
  Result<WebhookUrl> url = parse_webhook_url(requests.front().url);
  if (!url.ok()) co_return unanswered("url_invalid");
  if (settings.policy.https_required && !url->secure) {
    co_return unanswered(std::string(kHttpsRequired) +
                         ": the URL is http://; this mpayd sends webhooks over https:// only");
  }
  if (url->secure && settings.tls == nullptr) co_return unanswered(settings.tls_error);
  ssl::context* tls = url->secure ? settings.tls : nullptr;
  // Kept connections belong to their transport: another one may trust other certificates.
  std::string key = std::to_string(settings.instance) + (url->secure ? " https://" : " http://") +
                    url->host + ":" + std::to_string(url->port);
  std::span<const WebhookRequest> pipeline = requests.first(
      pipeline_length(requests, pipeline_depth_for(key), run.current_started - began));

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
      co_await attempt_on(*run.connection, fresh, *url, pipeline, tls, settings.policy,
                          run.current_started, exchange);
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) {
      if (exchange.reusable) {
        keep_idle(std::move(run.connection), settings.idle_connections_max);
      } else {
        run.connection.reset();
      }
      co_return Pipelined{std::move(exchange.answers), false};
    }
    run.connection.reset();
    std::string error = error_text(failure);
    if (exchange.answers.empty()) {
      if (!fresh && error != "timeout") continue;  // a stale kept connection
      co_return unanswered(std::move(error));
    }
    // Answered in part. A timeout ends the sequence (the receiver may be working on the request);
    // a closed connection sends the rest again on another.
    Pipelined part{std::move(exchange.answers), false};
    if (error == "timeout") {
      if (pipeline.size() > 1) remember_one_at_a_time(key);
      part.answers.emplace_back().error = std::move(error);
      part.stop = true;
    }
    co_return part;
  }
  co_return unanswered("no_attempt");  // not reached: the fresh pass always returns
}

}  // namespace

BeastWebhookTransport::BeastWebhookTransport(const std::string& ca_file,
                                             size_t idle_connections_max,
                                             const WebhookNetworkPolicy& policy)
    : idle_connections_max_(std::max<size_t>(idle_connections_max, 1)), policy_(policy) {
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
  const TransportSettings settings{tls_.get(), tls_error_, instance_, idle_connections_max_,
                                   policy_};
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
