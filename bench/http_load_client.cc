#include "http_load_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "bench_support.h"
#include "load_connection.h"

namespace mpay::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;


// "<status> <error.code>" for an error answer ({"error":{"code",...}}), "<status>" otherwise.
std::string answer_key(unsigned status, const std::string& body) {
  std::string key = std::to_string(status);
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].contains("code") && parsed["error"]["code"].is_string()) {
    key += " " + parsed["error"]["code"].get<std::string>();
  }
  return key;
}

}  // namespace

Result<HttpEndpoint> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return Error("bad_url", "expected http://HOST:PORT, got '" + url + "'");
  std::string rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || rest.find('/') != std::string::npos) {
    return Error("bad_url", "expected http://HOST:PORT, got '" + url + "'");
  }
  HttpEndpoint endpoint;
  endpoint.host = rest.substr(0, colon);
  std::string port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) == 0 || std::stoul(port) > 65535) {
    return Error("bad_url", "bad port in '" + url + "'");
  }
  endpoint.port = static_cast<uint16_t>(std::stoul(port));
  return endpoint;
}

// ---------------------------------------------------------------------------------------------
// BlockingHttpClient: asynchronous operations with a deadline, run to completion on a private
// io_context (Beast's timeouts apply to asynchronous operations only).

struct BlockingHttpClient::State {
  HttpEndpoint endpoint;
  std::chrono::milliseconds timeout;
  asio::io_context context{1};
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void drop() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.reset();
    buffer.clear();
  }
  void run() {
    context.restart();
    context.run();
  }
};

BlockingHttpClient::BlockingHttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout)
    : state_(std::make_unique<State>()) {
  state_->endpoint = std::move(endpoint);
  state_->timeout = timeout;
}

BlockingHttpClient::~BlockingHttpClient() { state_->drop(); }

HttpReply BlockingHttpClient::request(const std::string& method, const std::string& target,
                                      const std::string& body, const std::string& bearer_token,
                                      const HeaderList& headers) {
  State& s = *state_;
  HttpReply reply;
  beast::error_code ec;
  if (!s.stream) {
    tcp::resolver resolver(s.context);
    tcp::resolver::results_type endpoints =
        resolver.resolve(s.endpoint.host, std::to_string(s.endpoint.port), ec);
    if (ec) {
      reply.transport_error = "resolve " + s.endpoint.host + ": " + ec.message();
      return reply;
    }
    s.stream.emplace(s.context);
    s.stream->expires_after(s.timeout);
    s.stream->async_connect(endpoints, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
    s.run();
    if (ec) {
      s.drop();
      reply.transport_error = "connect to " + s.endpoint.text() + ": " + ec.message();
      return reply;
    }
    s.stream->socket().set_option(tcp::no_delay(true), ec);
  }

  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, s.endpoint.host);
  request.keep_alive(true);
  if (!bearer_token.empty()) request.set(http::field::authorization, "Bearer " + bearer_token);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(kReplyBodyBytesMax);

  const char* step = "send";
  s.stream->expires_after(s.timeout);  // one deadline for writing and reading
  http::async_write(*s.stream, request, [&](beast::error_code e, size_t) {
    ec = e;
    if (ec) return;
    step = "read answer";
    http::async_read(*s.stream, s.buffer, parser, [&ec](beast::error_code e2, size_t) { ec = e2; });
  });
  s.run();
  if (ec) {
    s.drop();
    reply.transport_error = std::string(step) + " " + method + " " + target + ": " +
        (ec == beast::error::timeout ? "no answer within " + std::to_string(s.timeout.count()) + " ms"
                                     : ec.message());
    return reply;
  }
  http::response<http::string_body> response = parser.release();
  reply.status = response.result_int();
  reply.body = std::move(response.body());
  if (auto it = response.find(http::field::retry_after); it != response.end()) {
    reply.retry_after = std::string(it->value());
  }
  if (!response.keep_alive()) s.drop();
  return reply;
}

// ---------------------------------------------------------------------------------------------
// The load: closed-loop connections, one histogram per io_context thread.

namespace {

// What every connection reads; written before the first connection starts.
struct LoadPlan {
  std::string host;
  tcp::resolver::results_type endpoints;
  std::vector<std::string> authorization;  // per user: "Bearer <token>"
  std::vector<std::string> body_to;        // per user as recipient: the JSON body
  std::chrono::milliseconds timeout{10000};
  SteadyClock::time_point measure_start;
  SteadyClock::time_point end;
};

// One io_context thread and what its connections record.
struct LoadWorker {
  asio::io_context context{1};
  P2pLoadResult recorded;
};

class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  LoadConnection(const LoadPlan& plan, LoadWorker& worker, uint64_t seed)
      : plan_(plan),
        worker_(worker),
        stream_(worker.context),
        reconnect_timer_(worker.context),
        random_(seed) {
    buffer_.reserve(kReadBufferBytes);
  }

  void start() { connect(); }

 private:
  void connect() {
    if (SteadyClock::now() >= plan_.end) return;
    stream_.expires_after(plan_.timeout);
    stream_.async_connect(plan_.endpoints,
                          [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                            self->on_connect(ec);
                          });
  }

  void on_connect(beast::error_code ec) {
    if (ec) return fail("connect", ec);
    stream_.socket().set_option(tcp::no_delay(true), ec);
    send_next();
  }

  void send_next() {
    SteadyClock::time_point now = SteadyClock::now();
    if (now >= plan_.end) return close();
    size_t users = plan_.authorization.size();
    size_t from = random_() % users;
    size_t to = (from + 1 + random_() % (users - 1)) % users;
    request_ = {};
    request_.method(http::verb::post);
    request_.target("/v1/transfers");
    request_.set(http::field::authorization, plan_.authorization[from]);
    request_.body() = plan_.body_to[to];
    finish_json_request(request_, plan_.host);
    parser_.emplace();
    parser_->body_limit(kReplyBodyBytesMax);
    sent_at_ = now;
    stream_.expires_after(plan_.timeout);
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_write(ec);
    });
  }

  void on_write(beast::error_code ec) {
    if (ec) return fail("send", ec);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code e, size_t) {
      self->on_read(e);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) return fail("read answer", ec);
    SteadyClock::time_point now = SteadyClock::now();
    const http::response<http::string_body>& response = parser_->get();
    if (now >= plan_.measure_start && now <= plan_.end) {
      P2pLoadResult& recorded = worker_.recorded;
      ++recorded.answers;
      recorded.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - sent_at_).count());
      if (response.result_int() == 201) {
        ++recorded.transfers;
      } else {
        ++recorded.other_answers[answer_key(response.result_int(), response.body())];
      }
    }
    if (!response.keep_alive()) {
      close();
      return connect();
    }
    send_next();
  }

  void fail(const char* step, beast::error_code ec) {
    std::string what = std::string(step) + ": " + transport_failure(ec);
    ++worker_.recorded.transport_errors[what];
    close();
    if (SteadyClock::now() >= plan_.end) return;
    reconnect_timer_.expires_after(kReconnectDelay);
    reconnect_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->connect();
    });
  }

  void close() { close_connection(stream_, buffer_); }

  const LoadPlan& plan_;
  LoadWorker& worker_;
  LoadStream stream_;
  asio::steady_timer reconnect_timer_;
  std::mt19937_64 random_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  SteadyClock::time_point sent_at_;
};

}  // namespace

P2pLoadResult run_p2p_load(const HttpEndpoint& endpoint, const std::vector<P2pUser>& users,
                           const P2pLoadOptions& options) {
  P2pLoadResult result;
  if (users.size() < 2) {
    ++result.transport_errors["fewer than two users: nothing to transfer between"];
    return result;
  }
  LoadPlan plan;
  plan.host = endpoint.host;
  plan.timeout = options.request_timeout;
  {
    asio::io_context resolving;
    tcp::resolver resolver(resolving);
    beast::error_code ec;
    plan.endpoints = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
    if (ec) {
      ++result.transport_errors["resolve " + endpoint.host + ": " + ec.message()];
      return result;
    }
  }
  for (const P2pUser& user : users) {
    plan.authorization.push_back("Bearer " + user.token);
    nlohmann::json body = {{"to_phone", user.phone}, {"amount", options.amount}, {"currency", "CNY"},
                           {"pin", options.pin}};
    plan.body_to.push_back(body.dump());
  }

  uint32_t thread_count = std::max<uint32_t>(1, options.threads);
  std::vector<std::unique_ptr<LoadWorker>> workers;
  for (uint32_t t = 0; t < thread_count; ++t) workers.push_back(std::make_unique<LoadWorker>());
  SteadyClock::time_point start = SteadyClock::now();
  auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  };
  plan.measure_start = start + to_duration(options.warmup_seconds);
  plan.end = plan.measure_start + to_duration(options.seconds);
  for (uint32_t c = 0; c < options.connections; ++c) {
    std::make_shared<LoadConnection>(plan, *workers[c % thread_count], 0x6d706179ULL + c)->start();
  }
  std::vector<std::thread> threads;
  for (uint32_t t = 1; t < thread_count; ++t) {
    threads.emplace_back([&worker = *workers[t]] { worker.context.run(); });
  }
  workers[0]->context.run();
  for (std::thread& thread : threads) thread.join();

  result.seconds = options.seconds;
  for (const auto& worker : workers) {
    const P2pLoadResult& part = worker->recorded;
    result.answers += part.answers;
    result.transfers += part.transfers;
    result.latency.merge(part.latency);
    for (const auto& [key, n] : part.other_answers) result.other_answers[key] += n;
    for (const auto& [key, n] : part.transport_errors) result.transport_errors[key] += n;
  }
  return result;
}

}  // namespace mpay::bench
