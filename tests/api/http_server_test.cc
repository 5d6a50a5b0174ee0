// Black-box tests: a real HttpServer on an ephemeral port, driven over real TCP sockets by a small
// Beast client, including malformed and oversized input.
#include "api/http_server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/http_limits.h"
#include "core/deferred_hand_offs.h"

namespace mpay::api {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using nlohmann::json;
using Response = http::response<http::string_body>;
using namespace std::chrono_literals;

constexpr auto kClientTimeout = 5s;

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A blocking-style HTTP client whose every read gives up after kClientTimeout, so a server bug
// fails the test instead of hanging it.
class TestClient {
 public:
  explicit TestClient(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  void send(std::string_view bytes) {
    net::write(socket_, net::buffer(bytes.data(), bytes.size()));
  }

  void send(http::request<http::string_body> request) {
    if (request.version() == 0) request.version(11);
    request.set(http::field::host, "localhost");
    request.prepare_payload();
    http::write(socket_, request);
  }

  // The next response; error_code set (and the response empty) when the server closed or the read
  // timed out.
  Response read(error_code* failure = nullptr) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    error_code error = run([&](auto done) { http::async_read(socket_, buffer_, parser, done); });
    if (failure != nullptr) *failure = error;
    if (error) {
      if (failure == nullptr) ADD_FAILURE() << "reading a response failed: " << error.message();
      return {};
    }
    return parser.release();
  }

  Response request(http::verb method, std::string target, std::string body = "",
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::string_body> message(method, target, 11);
    for (auto& [name, value] : headers) message.set(name, value);
    message.body() = std::move(body);
    send(std::move(message));
    return read();
  }

  // Bytes that arrived and were not read yet.
  size_t bytes_waiting() { return socket_.available(); }

  // Raw bytes up to and including the first "\r\n\r\n" (for interim responses).
  std::string read_head() {
    std::string head;
    auto dynamic = net::dynamic_buffer(head);
    size_t size = 0;
    error_code error = run([&](auto done) {
      net::async_read_until(socket_, dynamic, "\r\n\r\n", [&size, done](error_code e, size_t n) {
        size = n;
        done(e, n);
      });
    });
    if (error) return "<" + error.message() + ">";
    return head.substr(0, size);
  }

  // True when the server has closed the connection: a read ends with EOF or a reset (not data,
  // not a timeout).
  bool closed_by_server() {
    char byte = 0;
    error_code error =
        run([&](auto done) { socket_.async_read_some(net::buffer(&byte, 1), done); });
    return error == net::error::eof || error == net::error::connection_reset;
  }

 private:
  template <typename Start>
  error_code run(Start start) {
    bool finished = false;
    error_code result;
    start([&](error_code error, size_t) {
      result = error;
      finished = true;
    });
    io_.restart();
    io_.run_for(kClientTimeout);
    if (!finished) {
      socket_.cancel();
      io_.restart();
      io_.run();
      return net::error::timed_out;
    }
    return result;
  }

  net::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

json body_json(const Response& response) {
  return json::parse(response.body());
}

std::string header(const Response& response, std::string_view name) {
  auto found = response.find(boost::beast::string_view(name.data(), name.size()));
  if (found == response.end()) return "<absent>";
  return std::string(found->value().data(), found->value().size());
}

bool is_generated_request_id(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    release_held();
    if (server_) server_->stop();
    std::lock_guard lock(helpers_mutex_);
    for (auto& helper : helpers_) helper.join();
  }

  // Runs `work` on a thread of its own after `delay`, like the ledger answering after a commit.
  void later(std::chrono::milliseconds delay, std::function<void()> work) {
    std::lock_guard lock(helpers_mutex_);
    helpers_.emplace_back([delay, work = std::move(work)] {
      std::this_thread::sleep_for(delay);
      work();
    });
  }

  void add_routes() {
    router_.add({http::verb::get, "/v1/parked", "", 0, [this](HttpRequest&, Responder respond) {
                   std::lock_guard lock(parked_mutex_);
                   parked_.push_back(std::move(respond));
                 }});
    router_.add({http::verb::get, "/v1/worker", "", 0, [](HttpRequest&, Responder respond) {
                   std::ostringstream thread;
                   thread << std::this_thread::get_id();
                   respond(json_response(200, {{"thread", thread.str()}}));
                 }});
    router_
        .add({http::verb::get, "/v1/echo/{id}", "", 0,
              [](HttpRequest& request, Responder respond) {
                json query = json::array();
                for (auto& [name, value] : request.query) query.push_back({name, value});
                respond(json_response(
                    200,
                    {{"id", request.path_params.at("id")},
                     {"path", request.path},
                     {"target", request.target},
                     {"query", query},
                     {"phone", request.query_param("phone").value_or("<absent>")},
                     {"test_header", std::string(request.header("X-Test").value_or("<absent>"))},
                     {"request_id", request.request_id},
                     {"remote", request.remote_address}}));
              }})
        .query_parameters = {"phone", "note", "flag"};
    // Like the QR landing page: takes any query and reads none.
    router_
        .add({http::verb::get, "/v1/page/{token}", "", 0,
              [](HttpRequest&, Responder respond) {
                respond(json_response(200, {{"page", true}}));
              }})
        .query_ignored = true;
    router_.add(
        {http::verb::post, "/v1/echo-body", "", 1024, [](HttpRequest& request, Responder respond) {
           respond(json_response(200, {{"body", request.body}}));
         }});
    router_.add(
        {http::verb::post, "/v1/big", "", 1 << 20, [](HttpRequest& request, Responder respond) {
           respond(json_response(200, {{"bytes", request.body.size()}}));
         }});
    router_.add({http::verb::get, "/v1/slow", "", 0, [this](HttpRequest&, Responder respond) {
                   ++slow_entered_;
                   later(slow_delay_, [respond] {
                     HttpResponse response = json_response(200, {{"slow", true}});
                     response.headers.emplace_back("X-Answered-By", "helper-thread");
                     respond(std::move(response));
                   });
                 }});
    // Answered from another thread once the test calls release_held().
    router_.add({http::verb::get, "/v1/held", "", 0, [this](HttpRequest&, Responder respond) {
                   ++held_entered_;
                   std::lock_guard lock(helpers_mutex_);
                   helpers_.emplace_back([this, respond] {
                     held_released_.wait();
                     HttpResponse response = json_response(200, {{"held", true}});
                     response.headers.emplace_back("X-Answered-By", "helper-thread");
                     respond(std::move(response));
                   });
                 }});
    router_.add({http::verb::get, "/v1/dropped", "", 0, [](HttpRequest&, Responder) {}});
    router_.add(
        {http::verb::get, "/v1/dropped-later", "", 0, [this](HttpRequest&, Responder respond) {
           later(50ms, [respond]() mutable { respond = nullptr; });
         }});
    router_.add({http::verb::get, "/v1/throws", "", 0,
                 [](HttpRequest&, Responder) { throw std::runtime_error("handler bug"); }});
    router_
        .add({http::verb::get, "/v1/private", "ledger.read", 0,
              [](HttpRequest&, Responder respond) {
                respond(json_response(200, {{"private", true}}));
              }})
        .query_parameters = {"phone"};
    router_.add({http::verb::get, "/v1/admin", "admin", 0, [](HttpRequest&, Responder respond) {
                   respond(json_response(200, {{"admin", true}}));
                 }});
    router_.add({http::verb::get, "/v1/headers", "", 0, [](HttpRequest&, Responder respond) {
                   HttpResponse response;
                   response.status = 201;
                   response.content_type = "text/plain";
                   response.body = "created";
                   response.headers = {{"Location", "/v1/things/1"},
                                       {"Content-Length", "999"},
                                       {"X-Request-Id", "forged"},
                                       {"X-Split", "a\r\nInjected: b"},
                                       {"Bad Name", "x"}};
                   respond(std::move(response));
                 }});
    router_.add({http::verb::get, "/v1/twice", "", 0, [](HttpRequest&, Responder respond) {
                   respond(json_response(200, json::object()));
                   respond(json_response(200, json::object()));
                 }});
  }

  void start(HttpServerOptions options = {}) {
    add_routes();
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<HttpServer>(
        options, router_,
        [this](const HttpRequest& request, const std::string& scope) -> std::optional<mpay::Error> {
          ++authorize_calls_;
          auto credentials = request.header("Authorization");
          if (!credentials) return mpay::Error("unauthenticated", "credentials required");
          if (*credentials == "Bearer store-down") return mpay::Error("store_error", "sessions unreadable");
          if (*credentials != "Bearer good") return mpay::Error("unauthenticated", "bad token");
          if (scope == "admin") return mpay::Error("forbidden_scope", "needs admin", "scope");
          return std::nullopt;
        });
    server_->set_observer([this](const Route* route, unsigned status, int64_t duration_us) {
      std::lock_guard lock(observed_mutex_);
      observed_.push_back({route == nullptr ? "<none>" : route->pattern, status});
      EXPECT_GE(duration_us, 0);
    });
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_NE(server_->port(), 0);
  }

  TestClient client() { return TestClient(server_->port()); }

  std::vector<std::pair<std::string, unsigned>> observed() {
    std::lock_guard lock(observed_mutex_);
    return observed_;
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::chrono::milliseconds slow_delay_ = 100ms;
  std::atomic<int> slow_entered_{0};
  std::atomic<int> held_entered_{0};
  std::once_flag held_once_;
  std::promise<void> release_held_promise_;
  std::shared_future<void> held_released_ = release_held_promise_.get_future().share();
  void release_held() {
    std::call_once(held_once_, [this] { release_held_promise_.set_value(); });
  }
  std::mutex parked_mutex_;
  std::vector<Responder> parked_;
  size_t parked() {
    std::lock_guard lock(parked_mutex_);
    return parked_.size();
  }
  std::atomic<int> authorize_calls_{0};
  std::mutex helpers_mutex_;
  std::vector<std::thread> helpers_;
  std::mutex observed_mutex_;
  std::vector<std::pair<std::string, unsigned>> observed_;
};

void expect_error(const Response& response, unsigned status, const std::string& code) {
  EXPECT_EQ(response.result_int(), status);
  EXPECT_EQ(header(response, "Content-Type"), "application/json");
  json body = body_json(response);
  EXPECT_EQ(body["error"]["code"], code) << response.body();
  EXPECT_TRUE(body["error"]["message"].is_string()) << response.body();
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  TestClient connection = client();
  Response first = connection.request(http::verb::get, "/v1/echo/1");
  Response second = connection.request(http::verb::get, "/v1/echo/2");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(body_json(first)["id"], "1");
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(body_json(second)["id"], "2");
  EXPECT_EQ(header(first, "Server"), "mpayd");
  EXPECT_EQ(header(first, "Content-Type"), "application/json");
  EXPECT_EQ(header(first, "Content-Length"), std::to_string(first.body().size()));
}

TEST_F(HttpServerTest, HandlerSeesDecodedPathParametersQueryAndHeaders) {
  start();
  TestClient connection = client();
  Response response =
      connection.request(http::verb::get, "/v1/echo/a%20b?phone=+254700000001&note=x%26y&flag", "",
                         {{"X-Test", "hello"}});
  ASSERT_EQ(response.result_int(), 200);
  json body = body_json(response);
  EXPECT_EQ(body["id"], "a b");
  EXPECT_EQ(body["path"], "/v1/echo/a b");
  EXPECT_EQ(body["target"], "/v1/echo/a%20b?phone=+254700000001&note=x%26y&flag");
  EXPECT_EQ(body["query"],
            json::parse(R"([["phone","+254700000001"],["note","x&y"],["flag",""]])"));
  EXPECT_EQ(body["phone"], "+254700000001");
  EXPECT_EQ(body["test_header"], "hello");
  EXPECT_EQ(body["remote"], "127.0.0.1");
}

TEST_F(HttpServerTest, HandlerHeadersCannotBreakFramingOrInjectLines) {
  start();
  TestClient connection = client();
  Response response =
      connection.request(http::verb::get, "/v1/headers", "", {{"X-Request-Id", "mine"}});
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(response.body(), "created");
  EXPECT_EQ(header(response, "Content-Type"), "text/plain");
  EXPECT_EQ(header(response, "Content-Length"), "7");
  EXPECT_EQ(header(response, "Location"), "/v1/things/1");
  EXPECT_EQ(header(response, "X-Request-Id"), "mine");
  EXPECT_EQ(header(response, "X-Split"), "<absent>");
  EXPECT_EQ(header(response, "Injected"), "<absent>");
  // The connection is still in sync.
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  TestClient connection = client();
  // The first answer comes late from another thread; the second must still wait behind it.
  connection.send(
      "GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /v1/echo/second HTTP/1.1\r\nHost: x\r\n\r\n");
  Response first = connection.read();
  Response second = connection.read();
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(body_json(first)["slow"], true);
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(body_json(second)["id"], "second");
}

TEST_F(HttpServerTest, ResponderCalledLaterFromAnotherThreadIsDelivered) {
  slow_delay_ = 200ms;
  start();
  TestClient connection = client();
  auto started = std::chrono::steady_clock::now();
  Response response = connection.request(http::verb::get, "/v1/slow");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(header(response, "X-Answered-By"), "helper-thread");
  // The connection is still usable afterwards.
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/after").result_int(), 200);
}

TEST_F(HttpServerTest, NotFoundAndMethodNotAllowedBodies) {
  start();
  TestClient connection = client();
  Response missing = connection.request(http::verb::get, "/v1/nothing-here");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing.body(), R"({"error":{"code":"not_found","message":"no such path"}})");
  EXPECT_EQ(header(missing, "Content-Type"), "application/json");
  EXPECT_TRUE(missing.keep_alive());

  Response wrong_method = connection.request(http::verb::delete_, "/v1/echo/1");
  EXPECT_EQ(wrong_method.result_int(), 405);
  EXPECT_EQ(
      wrong_method.body(),
      R"({"error":{"code":"method_not_allowed","message":"this path does not accept this method"}})");
  EXPECT_EQ(header(wrong_method, "Allow"), "GET");
  EXPECT_EQ(observed().back(), (std::pair<std::string, unsigned>{"<none>", 405}));
}

TEST_F(HttpServerTest, AuthorizeCallbackDecidesScopedRoutes) {
  start();
  TestClient connection = client();
  Response anonymous = connection.request(http::verb::get, "/v1/private");
  expect_error(anonymous, 401, "unauthenticated");
  Response bad_token =
      connection.request(http::verb::get, "/v1/private", "", {{"Authorization", "Bearer bad"}});
  expect_error(bad_token, 401, "unauthenticated");
  Response allowed =
      connection.request(http::verb::get, "/v1/private", "", {{"Authorization", "Bearer good"}});
  EXPECT_EQ(allowed.result_int(), 200);
  Response forbidden =
      connection.request(http::verb::get, "/v1/admin", "", {{"Authorization", "Bearer good"}});
  EXPECT_EQ(forbidden.body(),
            R"({"error":{"code":"forbidden_scope","message":"needs admin","field":"scope"}})");
  EXPECT_EQ(forbidden.result_int(), 403);
  // A callback that could not check (its store failed) is the server's trouble: 503, not 401.
  Response unchecked =
      connection.request(http::verb::get, "/v1/private", "", {{"Authorization", "Bearer store-down"}});
  expect_error(unchecked, 503, "store_error");
  EXPECT_EQ(authorize_calls_, 5);
  // Public routes never reach the callback.
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
  EXPECT_EQ(authorize_calls_, 5);
}

TEST_F(HttpServerTest, BodyWithinTheRouteLimitArrives) {
  start();
  TestClient connection = client();
  Response response = connection.request(http::verb::post, "/v1/echo-body", std::string(1024, 'b'));
  ASSERT_EQ(response.result_int(), 200);
  EXPECT_EQ(body_json(response)["body"], std::string(1024, 'b'));

  connection.send(
      "POST /v1/echo-body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  Response chunked = connection.read();
  ASSERT_EQ(chunked.result_int(), 200);
  EXPECT_EQ(body_json(chunked)["body"], "hello world");
}

TEST_F(HttpServerTest, ContentLengthOverTheRouteLimitIs413AndCloses) {
  start();
  TestClient connection = client();
  // Only the header is sent: the server must answer from Content-Length alone.
  connection.send("POST /v1/echo-body HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n");
  Response response = connection.read();
  expect_error(response, 413, "body_too_large");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(connection.closed_by_server());
  EXPECT_EQ(observed().back(), (std::pair<std::string, unsigned>{"/v1/echo-body", 413}));
}

TEST_F(HttpServerTest, ChunkedBodyOverTheRouteLimitIs413AndCloses) {
  start();
  TestClient connection = client();
  std::string request =
      "POST /v1/echo-body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) request += "200\r\n" + std::string(512, 'c') + "\r\n";  // 2560 bytes
  request += "0\r\n\r\n";
  connection.send(request);
  Response response = connection.read();
  expect_error(response, 413, "body_too_large");
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, ServerCapAppliesWhenTheRouteAllowsMore) {
  HttpServerOptions options;
  options.body_bytes_max = 2048;
  start(options);
  TestClient connection = client();
  Response response = connection.request(http::verb::post, "/v1/big", std::string(4096, 'x'));
  expect_error(response, 413, "body_too_large");
  TestClient again = client();
  EXPECT_EQ(again.request(http::verb::post, "/v1/big", std::string(2048, 'x')).result_int(), 200);
}

TEST_F(HttpServerTest, HugeHeadersAre431AndClose) {
  start();
  TestClient connection = client();
  connection.send("GET /v1/echo/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') +
                  "\r\n\r\n");
  Response response = connection.read();
  expect_error(response, 431, "headers_too_large");
  EXPECT_TRUE(is_generated_request_id(header(response, "X-Request-Id")));
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, GarbageIs400AndClosesAndTheServerKeepsServing) {
  start();
  {
    TestClient connection = client();
    connection.send(std::string("\x01\x02\x03 GARBAGE \xff\r\n\r\n", 17));
    Response response = connection.read();
    expect_error(response, 400, "bad_request");
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(connection.closed_by_server());
  }
  {
    TestClient connection = client();
    connection.send("GET /v1/echo/1 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    expect_error(connection.read(), 400, "bad_request");
  }
  EXPECT_EQ(client().request(http::verb::get, "/v1/echo/ok").result_int(), 200);
}

TEST_F(HttpServerTest, MalformedTargetIs400) {
  start();
  TestClient connection = client();
  expect_error(connection.request(http::verb::get, "/v1/echo/a%2Fb"), 400, "bad_request");
  expect_error(connection.request(http::verb::get, "/v1/echo/a%zz"), 400, "bad_request");
}

TEST_F(HttpServerTest, ARepeatedCredentialOrKeyHeaderIs400BeforeAnythingRuns) {
  start();
  for (std::string_view name : kSingleValuedHeaders) {
    std::string lowered = lower_ascii(name);
    for (const std::string& target : {std::string("/v1/echo-body"), std::string("/v1/private")}) {
      TestClient connection = client();
      // The second spelling differs in case: header names are case-insensitive.
      connection.send((target == "/v1/private" ? "GET " : "POST ") + target +
                      " HTTP/1.1\r\nHost: x\r\n" + std::string(name) + ": Bearer good\r\n" +
                      lowered + ": Bearer good\r\nContent-Length: 2\r\n\r\n{}");
      Response response = connection.read();
      expect_error(response, 400, "header_repeated");
      EXPECT_EQ(body_json(response)["error"]["field"], std::string(name)) << target;
    }
  }
  EXPECT_EQ(authorize_calls_, 0);  // refused before authorization
  // Headers outside that list keep the usual rule (the handler reads the first).
  TestClient connection = client();
  connection.send("GET /v1/echo/1 HTTP/1.1\r\nHost: x\r\nX-Test: one\r\nX-Test: two\r\n\r\n");
  Response response = connection.read();
  ASSERT_EQ(response.result_int(), 200);
  EXPECT_EQ(body_json(response)["test_header"], "one");
}

TEST_F(HttpServerTest, AQueryParameterTheRouteDoesNotTakeIs400BeforeAnythingRuns) {
  start();
  TestClient connection = client();
  Response unknown = connection.request(http::verb::get, "/v1/echo/1?phone=1&colour=red");
  expect_error(unknown, 400, "query_parameter_unknown");
  EXPECT_EQ(body_json(unknown)["error"]["field"], "colour");
  Response repeated = connection.request(http::verb::get, "/v1/echo/1?phone=1&phone=2");
  expect_error(repeated, 400, "query_parameter_repeated");
  EXPECT_EQ(body_json(repeated)["error"]["field"], "phone");
  // A route that declares no parameters takes no query at all, whatever the method. (Answered
  // before its body is read, so the server closes that connection.)
  Response post = client().request(http::verb::post, "/v1/echo-body?dry_run=1", "{}");
  expect_error(post, 400, "query_parameter_unknown");
  EXPECT_EQ(body_json(post)["error"]["field"], "dry_run");
  // Checked before authorization: the callback never runs for such a request.
  Response scoped = connection.request(http::verb::get, "/v1/private?phone=1&x=2", "",
                                       {{"Authorization", "Bearer good"}});
  expect_error(scoped, 400, "query_parameter_unknown");
  EXPECT_EQ(authorize_calls_, 0);
  EXPECT_EQ(
      connection
          .request(http::verb::get, "/v1/private?phone=1", "", {{"Authorization", "Bearer good"}})
          .result_int(),
      200);
  // A page that ignores its query takes anything.
  EXPECT_EQ(
      connection.request(http::verb::get, "/v1/page/abc?utm_source=x&utm_source=y&z").result_int(),
      200);
}

TEST_F(HttpServerTest, RequestIdIsEchoedOrGenerated) {
  start();
  TestClient connection = client();
  Response echoed =
      connection.request(http::verb::get, "/v1/echo/1", "", {{"X-Request-Id", "client-id_1.2"}});
  EXPECT_EQ(header(echoed, "X-Request-Id"), "client-id_1.2");
  EXPECT_EQ(body_json(echoed)["request_id"], "client-id_1.2");

  Response generated = connection.request(http::verb::get, "/v1/echo/1");
  std::string id = header(generated, "X-Request-Id");
  EXPECT_TRUE(is_generated_request_id(id)) << id;
  EXPECT_EQ(body_json(generated)["request_id"], id);
  EXPECT_NE(header(connection.request(http::verb::get, "/v1/echo/1"), "X-Request-Id"), id);

  for (std::string bad : {std::string("has space"), std::string(129, 'a'), std::string("a/b")}) {
    Response replaced =
        connection.request(http::verb::get, "/v1/echo/1", "", {{"X-Request-Id", bad}});
    EXPECT_TRUE(is_generated_request_id(header(replaced, "X-Request-Id"))) << bad;
  }
  // Errors carry it too.
  Response missing =
      connection.request(http::verb::get, "/nothing", "", {{"X-Request-Id", "on-404"}});
  EXPECT_EQ(header(missing, "X-Request-Id"), "on-404");
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  start();
  TestClient connection = client();
  Response response = connection.request(http::verb::get, "/v1/throws");
  EXPECT_EQ(response.body(), R"({"error":{"code":"internal_error","message":"internal error"}})");
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
  EXPECT_EQ(client().request(http::verb::get, "/v1/echo/2").result_int(), 200);
}

TEST_F(HttpServerTest, DroppedResponderIs500) {
  start();
  TestClient connection = client();
  expect_error(connection.request(http::verb::get, "/v1/dropped"), 500, "internal_error");
  // Dropped on another thread, later.
  expect_error(connection.request(http::verb::get, "/v1/dropped-later"), 500, "internal_error");
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  start();
  TestClient connection = client();
  connection.send(
      "POST /v1/echo-body HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: "
      "100-continue\r\n\r\n");
  EXPECT_EQ(connection.read_head(), "HTTP/1.1 100 Continue\r\n\r\n");
  connection.send("hello");
  Response response = connection.read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(body_json(response)["body"], "hello");
}

TEST_F(HttpServerTest, ObserverSeesEveryAnsweredRequest) {
  start();
  TestClient connection = client();
  connection.request(http::verb::get, "/v1/echo/1");
  connection.request(http::verb::get, "/v1/missing");
  connection.request(http::verb::get, "/v1/private");
  auto seen = observed();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::pair<std::string, unsigned>{"/v1/echo/{id}", 200}));
  EXPECT_EQ(seen[1], (std::pair<std::string, unsigned>{"<none>", 404}));
  EXPECT_EQ(seen[2], (std::pair<std::string, unsigned>{"/v1/private", 401}));
}

TEST_F(HttpServerTest, AccessLogLeavesOutQueryBodyAndCredentials) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  capture->set_level(spdlog::level::info);
  spdlog::set_default_logger(capture);
  start();
  {
    TestClient connection = client();
    connection.request(http::verb::get, "/v1/private?phone=254700000009", "",
                       {{"Authorization", "Bearer good"}, {"X-Request-Id", "log-check"}});
    connection.request(http::verb::post, "/v1/echo-body", "secret-body-text");
  }
  server_->stop();
  spdlog::set_default_logger(previous);
  std::string text = log.str();
  EXPECT_NE(text.find("GET /v1/private status=200"), std::string::npos) << text;
  EXPECT_NE(text.find("request_id=log-check"), std::string::npos) << text;
  EXPECT_NE(text.find("remote=127.0.0.1"), std::string::npos) << text;
  EXPECT_NE(text.find("POST /v1/echo-body status=200"), std::string::npos) << text;
  EXPECT_NE(text.find("request_bytes=16"), std::string::npos) << text;
  EXPECT_EQ(text.find("254700000009"), std::string::npos) << text;
  EXPECT_EQ(text.find("Bearer"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-body"), std::string::npos) << text;
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  slow_delay_ = 300ms;
  start();
  TestClient connection = client();
  connection.send("GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto wait_until = std::chrono::steady_clock::now() + kClientTimeout;
  while (slow_entered_ == 0 && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(slow_entered_, 1);
  auto stop_started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);
  Response response = connection.read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(body_json(response)["slow"], true);
  EXPECT_FALSE(response.keep_alive());  // "Connection: close" while draining
  EXPECT_TRUE(connection.closed_by_server());
  server_->stop();  // idempotent
  error_code refused;
  net::io_context io;
  tcp::socket probe(io);
  probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()), refused);
  EXPECT_TRUE(refused) << "the listener should be closed";
}

TEST_F(HttpServerTest, StopCutsOffRequestsPastTheDeadline) {
  slow_delay_ = 2000ms;
  HttpServerOptions options;
  options.stop_timeout_ms = 200;
  start(options);
  TestClient connection = client();
  connection.send("GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto wait_until = std::chrono::steady_clock::now() + kClientTimeout;
  while (slow_entered_ == 0 && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(1ms);
  }
  auto stop_started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 1500ms);
  EXPECT_TRUE(connection.closed_by_server());
  // The helper thread answers after the server is gone; that must be harmless (TearDown joins).
}

TEST_F(HttpServerTest, StopClosesIdleKeepAliveConnectionsPromptly) {
  start();
  TestClient connection = client();
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
  auto stop_started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 1s);
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, IdleTimeoutClosesTheConnection) {
  HttpServerOptions options;
  options.idle_timeout_ms = 150;
  start(options);
  TestClient connection = client();
  EXPECT_EQ(connection.request(http::verb::get, "/v1/echo/1").result_int(), 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_server());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 100ms);
}

TEST_F(HttpServerTest, ReadTimeoutClosesASlowRequest) {
  HttpServerOptions options;
  options.read_timeout_ms = 200;
  start(options);
  TestClient connection = client();
  connection.send("GET /v1/echo/1 HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_server());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
}

TEST_F(HttpServerTest, ConnectionsOverTheMaximumAreClosed) {
  HttpServerOptions options;
  options.connections_max = 1;
  start(options);
  TestClient first = client();
  EXPECT_EQ(first.request(http::verb::get, "/v1/echo/1").result_int(), 200);
  TestClient second = client();
  EXPECT_TRUE(second.closed_by_server());
  EXPECT_EQ(first.request(http::verb::get, "/v1/echo/2").result_int(), 200);
}

TEST_F(HttpServerTest, StartReportsAPortInUse) {
  start();
  Router router;
  HttpServerOptions options;
  options.port = server_->port();
  HttpServer second(options, router, nullptr);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "listen_failed");
  EXPECT_NE(started.error().message.find(std::to_string(server_->port())), std::string::npos);
  EXPECT_EQ(second.start().error().code, "listen_failed");  // a failed start may be retried
  EXPECT_EQ(server_->start().error().code, "already_started");
}

TEST(HttpServerLifecycle, StopBeforeStartAndBadAddress) {
  Router router;
  HttpServerOptions options;
  options.listen_address = "not-an-address";
  HttpServer server(options, router, nullptr);
  server.stop();
  HttpServer bad(options, router, nullptr);
  auto started = bad.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "listen_failed");
}

TEST(HttpServerLifecycle, WorkerThreadsAreTheOptionOrHalfTheCores) {
  HttpServerOptions options;
  options.threads = 3;
  EXPECT_EQ(http_worker_threads(options), 3u);
  options.threads = 0;
  unsigned cores = std::thread::hardware_concurrency();
  EXPECT_EQ(http_worker_threads(options), std::max(1u, cores / 2));
}

// One worker (the default on 2 cores): a request whose answer comes from another thread holds up
// neither other connections nor the answers that follow it.
TEST_F(HttpServerTest, OneWorkerServesOtherConnectionsWhileAnAnswerIsPending) {
  HttpServerOptions options;
  options.threads = 1;
  start(options);
  TestClient waiting = client();
  waiting.send("GET /v1/held HTTP/1.1\r\nHost: x\r\n\r\n");
  while (held_entered_.load() == 0) std::this_thread::sleep_for(1ms);
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([this, c, &answered] {
      TestClient connection = client();
      for (int i = 0; i < 20; ++i) {
        std::string id = std::to_string(c) + "-" + std::to_string(i);
        Response response = connection.request(http::verb::get, "/v1/echo/" + id);
        if (response.result_int() == 200 && body_json(response)["id"] == id) ++answered;
      }
    });
  }
  for (std::thread& thread : clients) thread.join();
  EXPECT_EQ(answered.load(), 80);  // all while the held answer was still pending
  release_held();
  Response held = waiting.read();
  EXPECT_EQ(held.result_int(), 200);
  EXPECT_EQ(header(held, "X-Answered-By"), "helper-thread");
  EXPECT_EQ(waiting.request(http::verb::get, "/v1/echo/after").result_int(), 200);
}

// Each worker runs an io_context of its own: connections are dealt out in turn, and all of a
// connection's handlers run on its worker's thread.
TEST_F(HttpServerTest, ConnectionsAreDealtToTheWorkersAndEachStaysOnItsOwn) {
  start();  // two workers
  TestClient first = client();
  std::string first_thread = body_json(first.request(http::verb::get, "/v1/worker"))["thread"];
  TestClient second = client();
  std::string second_thread = body_json(second.request(http::verb::get, "/v1/worker"))["thread"];
  EXPECT_NE(first_thread, second_thread);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(body_json(first.request(http::verb::get, "/v1/worker"))["thread"], first_thread);
    EXPECT_EQ(body_json(second.request(http::verb::get, "/v1/worker"))["thread"], second_thread);
  }
  TestClient third = client();
  EXPECT_EQ(body_json(third.request(http::verb::get, "/v1/worker"))["thread"], first_thread);
}

// The ledger's completer answers a round of requests inside a DeferredHandOffs scope: the answers
// wait in their workers' mailboxes and go out together when the scope ends, none before.
TEST_F(HttpServerTest, AnswersGivenInADeferringScopeGoOutWhenItEnds) {
  start();  // two workers: the three connections use both
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<TestClient>(server_->port()));
    clients.back()->send(http::request<http::string_body>(http::verb::get, "/v1/parked", 11));
  }
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (parked() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(parked(), 3u);
  {
    DeferredHandOffs scope;
    std::lock_guard lock(parked_mutex_);
    for (size_t i = 0; i < parked_.size(); ++i) {
      parked_[i](json_response(200, {{"answer", i}}));
    }
    std::this_thread::sleep_for(50ms);
    for (auto& waiting : clients) EXPECT_EQ(waiting->bytes_waiting(), 0u);
  }
  std::set<size_t> answers;  // the workers parked the requests in no particular order
  for (auto& answered : clients) {
    Response response = answered->read();
    EXPECT_EQ(response.result_int(), 200u);
    answers.insert(body_json(response)["answer"].get<size_t>());
  }
  EXPECT_EQ(answers, (std::set<size_t>{0, 1, 2}));
  std::lock_guard lock(parked_mutex_);
  parked_.clear();  // the answered responders still hold their connections
}

TEST_F(HttpServerTest, ResponderCalledTwiceAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        start();
        TestClient connection = client();
        connection.request(http::verb::get, "/v1/twice");
        std::this_thread::sleep_for(5s);
      },
      "Responder called twice");
}

}  // namespace
}  // namespace mpay::api
