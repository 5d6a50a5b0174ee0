#include "payment_load.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <random>

#include "bench_support.h"
#include "created_id.h"
#include "load_connection.h"
#include "wallet_users.h"

namespace mpay::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kFailureBodyChars = 80;

// What every loop reads; written before the first loop starts.
struct PaymentPlan {
  std::string host;
  tcp::resolver::results_type endpoints;
  const std::vector<P2pUser>* users = nullptr;
  const std::vector<BenchMerchant>* merchants = nullptr;
  std::string amount;
  std::string confirm_body;  // the same for every payment: PIN and funding source
  std::chrono::milliseconds timeout{10000};
  SteadyClock::time_point measure_start;
  SteadyClock::time_point end;
};

// One keep-alive connection with its buffers: sends one request, reads one answer.
class Exchange {
 public:
  explicit Exchange(asio::io_context& context) : stream_(context) {
    buffer_.reserve(kReadBufferBytes);
  }

  bool open() const { return open_; }
  LoadStream& stream() { return stream_; }
  http::request<http::string_body>& request() { return request_; }
  beast::flat_buffer& buffer() { return buffer_; }
  http::response_parser<http::string_body>& parser() { return *parser_; }
  void set_open() { open_ = true; }
  void reset_parser() {
    parser_.emplace();
    parser_->body_limit(kReplyBodyBytesMax);
  }
  void close() {
    close_connection(stream_, buffer_);
    open_ = false;
  }

 private:
  LoadStream stream_;
  bool open_ = false;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

class PaymentLoop : public std::enable_shared_from_this<PaymentLoop> {
 public:
  PaymentLoop(const PaymentPlan& plan, asio::io_context& context, PaymentLoadResult& recorded,
              uint32_t index)
      : plan_(plan), recorded_(recorded), merchant_(context), user_(context), retry_timer_(context),
        index_(index), random_(index * 7919ULL + 1) {}

  void start() { next_payment(); }

 private:
  using Step = void (PaymentLoop::*)(const http::response<http::string_body>&);

  void next_payment() {
    if (SteadyClock::now() >= plan_.end) return close_all();
    merchant_index_ = random_() % plan_.merchants->size();
    user_index_ = random_() % plan_.users->size();
    began_ = SteadyClock::now();
    const BenchMerchant& merchant = (*plan_.merchants)[merchant_index_];
    const P2pUser& user = (*plan_.users)[user_index_];
    std::string reference = "bench-" + std::to_string(index_) + "-" + std::to_string(++sequence_);
    nlohmann::json body = {{"payer_phone", user.phone}, {"amount", plan_.amount}, {"currency", "CNY"},
                           {"description", "bench"}, {"merchant_reference", reference}};
    std::string text = body.dump();
    auto& request = merchant_.request();
    request = {};
    request.method(http::verb::post);
    request.target("/v1/payment-requests");
    for (const auto& [name, value] : signed_headers(merchant, "POST", "/v1/payment-requests", text, reference)) {
      request.set(name, value);
    }
    request.body() = std::move(text);
    send(merchant_, "create", &PaymentLoop::on_created);
  }

  void on_created(const http::response<http::string_body>& response) {
    if (response.result_int() != 201) return failed("create", response);
    std::optional<std::string> id = created_id(response.body());
    if (!id) return failed("create-answer", response);
    auto& request = user_.request();
    request = {};
    request.method(http::verb::post);
    request.target("/v1/me/payment-requests/" + *id + "/confirm");
    request.set(http::field::authorization, "Bearer " + (*plan_.users)[user_index_].token);
    request.body() = plan_.confirm_body;
    send(user_, "confirm", &PaymentLoop::on_confirmed);
  }

  void on_confirmed(const http::response<http::string_body>& response) {
    if (response.result_int() != 200) return failed("confirm", response);
    SteadyClock::time_point finished = SteadyClock::now();
    if (began_ >= plan_.measure_start && finished <= plan_.end) {
      ++recorded_.payments;
      recorded_.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(finished - began_).count());
    }
    next_payment();
  }

  // Completes the request in `exchange` (version, host, JSON body) and sends it, connecting first
  // if needed; `next` gets the answer.
  void send(Exchange& exchange, const char* step, Step next) {
    finish_json_request(exchange.request(), plan_.host);
    exchange.reset_parser();
    exchange.stream().expires_after(plan_.timeout);  // one deadline for connecting, writing and reading
    if (exchange.open()) return write(exchange, step, next);
    exchange.stream().async_connect(
        plan_.endpoints, [self = shared_from_this(), &exchange, step, next](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return self->broken(step, "connect", ec);
          exchange.stream().socket().set_option(tcp::no_delay(true), ec);
          exchange.set_open();
          self->write(exchange, step, next);
        });
  }

  void write(Exchange& exchange, const char* step, Step next) {
    http::async_write(exchange.stream(), exchange.request(),
                      [self = shared_from_this(), &exchange, step, next](beast::error_code ec, size_t) {
                        if (ec) return self->broken(step, "send", ec);
                        http::async_read(exchange.stream(), exchange.buffer(), exchange.parser(),
                                         [self, &exchange, step, next](beast::error_code e, size_t) {
                                           if (e) return self->broken(step, "read answer", e);
                                           const auto& response = exchange.parser().get();
                                           if (!response.keep_alive()) exchange.close();
                                           ((*self).*next)(response);
                                         });
                      });
  }

  void failed(const char* step, const http::response<http::string_body>& response) {
    ++recorded_.failures[std::string(step) + " " + std::to_string(response.result_int()) + " " +
                         shortened(response.body()).substr(0, kFailureBodyChars)];
    next_payment();
  }

  void broken(const char* step, const char* what, beast::error_code ec) {
    ++recorded_.failures[std::string(step) + " transport " + what + ": " + transport_failure(ec)];
    close_all();
    if (SteadyClock::now() >= plan_.end) return;
    retry_timer_.expires_after(kReconnectDelay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->next_payment();
    });
  }

  void close_all() {
    merchant_.close();
    user_.close();
  }

  const PaymentPlan& plan_;
  PaymentLoadResult& recorded_;
  Exchange merchant_;
  Exchange user_;
  asio::steady_timer retry_timer_;
  uint32_t index_;
  std::mt19937_64 random_;
  uint64_t sequence_ = 0;
  size_t merchant_index_ = 0;
  size_t user_index_ = 0;
  SteadyClock::time_point began_;
};

}  // namespace

PaymentLoadResult run_payment_load(const HttpEndpoint& endpoint, const std::vector<P2pUser>& users,
                                   const std::vector<BenchMerchant>& merchants,
                                   const PaymentLoadOptions& options) {
  PaymentLoadResult result;
  result.seconds = options.seconds;
  if (users.empty() || merchants.empty()) {
    ++result.failures["set-up: no users or no merchants"];
    return result;
  }
  PaymentPlan plan;
  plan.host = endpoint.host;
  plan.users = &users;
  plan.merchants = &merchants;
  plan.amount = options.amount;
  plan.confirm_body = nlohmann::json{{"pin", options.pin}, {"funding_source", "wallet"}}.dump();
  plan.timeout = options.request_timeout;
  asio::io_context context{1};
  {
    tcp::resolver resolver(context);
    beast::error_code ec;
    plan.endpoints = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
    if (ec) {
      ++result.failures["resolve " + endpoint.host + ": " + ec.message()];
      return result;
    }
  }
  SteadyClock::time_point start = SteadyClock::now();
  auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  };
  plan.measure_start = start + to_duration(options.warmup_seconds);
  plan.end = plan.measure_start + to_duration(options.seconds);
  for (uint32_t c = 0; c < options.connections; ++c) {
    std::make_shared<PaymentLoop>(plan, context, result, c)->start();
  }
  asio::steady_timer window_opens(context, plan.measure_start);
  asio::steady_timer window_closes(context, plan.end);
  if (options.on_measure_start)
    window_opens.async_wait([&](boost::system::error_code) { options.on_measure_start(); });
  if (options.on_measure_end)
    window_closes.async_wait([&](boost::system::error_code) { options.on_measure_end(); });
  context.run();
  return result;
}

}  // namespace mpay::bench
