// BeastWebhookTransport's kept connections, against a loopback receiver written here (not
// support/webhook_receiver.h, which answers one request per connection): it counts the TCP
// connections it accepts and the requests it reads, and each test says how it answers (status,
// body length and framing, keep the connection or close it, drop a request unanswered).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notify/webhooks/beast_webhook_transport.h"

namespace mpay::notify::webhooks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr int64_t kTimeoutNs = 2'000'000'000;  // far above what loopback needs
constexpr size_t kBodyKeptMax = 64 * 1024;     // the transport's limit for a kept connection

// One request as the receiver read it.
struct Seen {
  int connection = 0;     // 1, 2, ...: in the order accepted
  int on_connection = 0;  // 0, 1, ...: requests before it on the same connection
  int index = 0;          // 0, 1, ...: requests before it on any connection
  std::string body;
  // More bytes had arrived on the connection when it was read: it came pipelined with the next.
  bool arrived_with_next = false;
};

struct Reply {
  enum class After {
    keep,               // answer, then read the next request on the connection
    close_with_header,  // answer with `Connection: close`, then close
    close_silently,     // answer as if keeping the connection, then close it
    drop_unanswered,    // close without an answer
    never_answer,       // no answer; read on until the client gives up
  };
  unsigned status = 200;
  std::string body = "{}";
  bool chunked = false;  // else Content-Length
  After after = After::keep;
  std::chrono::milliseconds delay{0};  // before answering
};

class LoopbackReceiver {
 public:
  using Policy = std::function<Reply(const Seen&)>;

  explicit LoopbackReceiver(Policy policy = [](const Seen&) { return Reply{}; })
      : policy_(std::move(policy)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LoopbackReceiver() {
    io_.stop();
    thread_.join();
    // The io_context, destroyed last, closes the connections its coroutines still hold.
  }

  std::string url(const std::string& path = "/hooks/mpay") const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  int connections() const { return connections_; }
  // Connections whose client closed them (the receiver was waiting for a request).
  int closed_by_client() const { return closed_by_client_; }
  std::vector<Seen> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<std::string> bodies() {
    std::vector<std::string> bodies;
    for (const Seen& seen : requests()) bodies.push_back(seen.body);
    return bodies;
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      int connection = ++connections_;
      asio::co_spawn(io_, serve(std::move(socket), connection), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket, int connection) {
    beast::flat_buffer buffer;
    for (int on_connection = 0;; ++on_connection) {
      beast::error_code error;
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request,
                                asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        ++closed_by_client_;
        co_return;
      }
      Seen seen{connection, on_connection, 0, request.body(),
                buffer.size() > 0 || socket.available(error) > 0};
      {
        // Recorded before the answer: once post() returns, the request is here.
        std::lock_guard lock(mutex_);
        seen.index = static_cast<int>(requests_.size());
        requests_.push_back(seen);
      }
      Reply reply = policy_(seen);
      if (reply.after == Reply::After::drop_unanswered) co_return;
      if (reply.after == Reply::After::never_answer) continue;
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(io_, reply.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
      }
      http::response<http::string_body> response;
      response.version(11);
      response.result(reply.status);
      response.body() = reply.body;
      if (reply.chunked) {
        response.chunked(true);
      } else {
        response.prepare_payload();
      }
      if (reply.after == Reply::After::close_with_header) response.keep_alive(false);
      co_await http::async_write(socket, response,
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error || reply.after != Reply::After::keep) co_return;  // the socket closes
    }
  }

  Policy policy_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<int> connections_{0};
  std::atomic<int> closed_by_client_{0};
  std::mutex mutex_;
  std::vector<Seen> requests_;
  std::thread thread_;
};

WebhookResponse post(BeastWebhookTransport& transport, const LoopbackReceiver& receiver,
                     const std::string& body, int64_t timeout_ns = kTimeoutNs) {
  WebhookRequest request;
  request.url = receiver.url();
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body;
  request.timeout_ns = timeout_ns;
  return transport.post(request);
}

// For what the receiver learns only after post() returned (a close): waits at most 2 s.
bool eventually(const std::function<bool()>& condition) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

WebhookSequence sequence_to(const LoopbackReceiver& receiver,
                            const std::vector<std::string>& bodies,
                            int64_t timeout_ns = kTimeoutNs) {
  WebhookSequence sequence;
  for (const std::string& body : bodies) {
    WebhookRequest request;
    request.url = receiver.url();
    request.body = body;
    request.timeout_ns = timeout_ns;
    sequence.push_back(request);
  }
  return sequence;
}

std::vector<std::string> numbered(const std::string& prefix, int count) {
  std::vector<std::string> bodies;
  for (int i = 0; i < count; ++i) bodies.push_back(prefix + std::to_string(i));
  return bodies;
}

TEST(BeastWebhookTransport, KeepAliveReceiverGetsEveryPostOverOneConnection) {
  LoopbackReceiver receiver;
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 20)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
    EXPECT_EQ(response.http_status, 200u);
  }
  EXPECT_EQ(receiver.connections(), 1);
  EXPECT_EQ(receiver.bodies(), numbered("event-", 20));
  for (const Seen& seen : receiver.requests()) {
    EXPECT_EQ(seen.connection, 1);
    EXPECT_EQ(seen.on_connection, seen.index);
  }
}

TEST(BeastWebhookTransport, ConnectionCloseAnswerIsNotKept) {
  LoopbackReceiver receiver(
      [](const Seen&) { return Reply{.after = Reply::After::close_with_header}; });
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 5)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
    EXPECT_EQ(response.http_status, 200u);
  }
  EXPECT_EQ(receiver.connections(), 5);
  EXPECT_EQ(receiver.bodies(), numbered("event-", 5));
}

// Like support/webhook_receiver.h: the answer looks keep-alive, then the receiver closes. The kept
// connection is found closed before use (or, if the close races the next request, that request
// fails before any answer and is made again on a new connection): never a duplicate.
TEST(BeastWebhookTransport, ReceiverClosingAfterAKeepAliveAnswerGetsEachPostOnce) {
  LoopbackReceiver receiver(
      [](const Seen&) { return Reply{.after = Reply::After::close_silently}; });
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 10)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
    EXPECT_EQ(response.http_status, 200u);
  }
  EXPECT_EQ(receiver.bodies(), numbered("event-", 10));  // each once, in order
  EXPECT_EQ(receiver.connections(), 10);
  for (const Seen& seen : receiver.requests()) EXPECT_EQ(seen.on_connection, 0);
}

// An answer longer than 64 KiB still counts by its status; only the connection is not kept.
// (Beast checks a Content-Length against the body limit while reading the head: the transport
// sets the limit after it.)
void expect_long_answers_count_but_are_not_kept(bool chunked) {
  LoopbackReceiver receiver([chunked](const Seen&) {
    return Reply{.body = std::string(100 * 1024, 'x'), .chunked = chunked};
  });
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 2)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_EQ(response.http_status, 200u) << body << ": " << response.error;
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
  }
  EXPECT_EQ(receiver.bodies(), numbered("event-", 2));
  EXPECT_EQ(receiver.connections(), 2);
}

TEST(BeastWebhookTransport, LargeContentLengthBodyReturnsTheStatusButIsNotKept) {
  expect_long_answers_count_but_are_not_kept(/*chunked=*/false);
}

// On a kept connection, a long answer must not be taken for a closed connection (which would send
// the event again on a new one).
TEST(BeastWebhookTransport, LargeContentLengthBodyOnAKeptConnectionIsNotSentTwice) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return seen.index == 0 ? Reply{} : Reply{.body = std::string(100 * 1024, 'x')};
  });
  BeastWebhookTransport transport;
  EXPECT_TRUE(post(transport, receiver, "small").success());
  WebhookResponse response = post(transport, receiver, "large");
  EXPECT_EQ(response.http_status, 200u) << response.error;
  EXPECT_EQ(receiver.bodies(), (std::vector<std::string>{"small", "large"}));
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(BeastWebhookTransport, BodyOfExactly64KiBIsReadAndTheConnectionKept) {
  LoopbackReceiver receiver(
      [](const Seen&) { return Reply{.body = std::string(kBodyKeptMax, 'x')}; });
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 3)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
  }
  EXPECT_EQ(receiver.bodies(), numbered("event-", 3));
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(BeastWebhookTransport, LargeChunkedBodyReturnsTheStatusButIsNotKept) {
  expect_long_answers_count_but_are_not_kept(/*chunked=*/true);
}

TEST(BeastWebhookTransport, SmallChunkedBodyIsReadAndTheConnectionKept) {
  LoopbackReceiver receiver(
      [](const Seen&) { return Reply{.body = R"({"received":true})", .chunked = true}; });
  BeastWebhookTransport transport;
  for (const std::string& body : numbered("event-", 3)) {
    WebhookResponse response = post(transport, receiver, body);
    EXPECT_TRUE(response.success()) << body << ": " << response.error;
    EXPECT_EQ(response.http_status, 200u);
  }
  EXPECT_EQ(receiver.bodies(), numbered("event-", 3));
  EXPECT_EQ(receiver.connections(), 1);
}

// Kept connections belong to their transport: another transport (which may trust other
// certificates) never gets one.
TEST(BeastWebhookTransport, TwoTransportsOnOneThreadKeepTheirOwnConnections) {
  LoopbackReceiver receiver;
  BeastWebhookTransport first;
  BeastWebhookTransport second;
  for (int i = 0; i < 6; ++i) {
    WebhookResponse response =
        post(i % 2 == 0 ? first : second, receiver, "event-" + std::to_string(i));
    EXPECT_TRUE(response.success()) << i << ": " << response.error;
  }
  EXPECT_EQ(receiver.connections(), 2);
}

TEST(BeastWebhookTransport, TwoReceiversAlternatedEachKeepTheirOwnConnection) {
  LoopbackReceiver first;
  LoopbackReceiver second;
  BeastWebhookTransport transport;
  for (int i = 0; i < 10; ++i) {
    LoopbackReceiver& receiver = i % 2 == 0 ? first : second;
    WebhookResponse response = post(transport, receiver, "event-" + std::to_string(i));
    EXPECT_TRUE(response.success()) << i << ": " << response.error;
  }
  EXPECT_EQ(first.connections(), 1);
  EXPECT_EQ(second.connections(), 1);
  EXPECT_EQ(first.bodies(),
            (std::vector<std::string>{"event-0", "event-2", "event-4", "event-6", "event-8"}));
  EXPECT_EQ(second.bodies(),
            (std::vector<std::string>{"event-1", "event-3", "event-5", "event-7", "event-9"}));
}

TEST(BeastWebhookTransport, ServerErrorWithAKnownLengthKeepsTheConnection) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return Reply{.status = seen.index % 2 == 0 ? 500u : 200u, .body = R"({"error":"busy"})"};
  });
  BeastWebhookTransport transport;
  for (int i = 0; i < 4; ++i) {
    WebhookResponse response = post(transport, receiver, "event-" + std::to_string(i));
    EXPECT_EQ(response.http_status, i % 2 == 0 ? 500u : 200u) << i;
    EXPECT_TRUE(response.error.empty()) << i << ": " << response.error;  // an answer, not a failure
    EXPECT_EQ(response.success(), i % 2 == 1);
  }
  EXPECT_EQ(receiver.bodies(), numbered("event-", 4));
  EXPECT_EQ(receiver.connections(), 1);
}

// At least once: the receiver read the request on the kept connection, then closed it without an
// answer. The transport cannot tell that from a connection closed while idle, so it makes the
// attempt again on a new connection and the receiver gets that request twice.
TEST(BeastWebhookTransport, KeptConnectionClosedAfterReadingIsRetriedOnANewOne) {
  LoopbackReceiver receiver([](const Seen& seen) {
    if (seen.connection == 1 && seen.on_connection == 1) {
      return Reply{.after = Reply::After::drop_unanswered};
    }
    return Reply{};
  });
  BeastWebhookTransport transport;
  EXPECT_TRUE(post(transport, receiver, "event-0").success());
  WebhookResponse response = post(transport, receiver, "event-1");
  EXPECT_TRUE(response.success()) << response.error;
  EXPECT_EQ(response.http_status, 200u);
  EXPECT_TRUE(post(transport, receiver, "event-2").success());  // on the new connection

  EXPECT_EQ(receiver.bodies(),
            (std::vector<std::string>{"event-0", "event-1", "event-1", "event-2"}));
  std::vector<Seen> requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].connection, 1);
  EXPECT_EQ(requests[2].connection, 2);
  EXPECT_EQ(requests[3].connection, 2);
  EXPECT_EQ(receiver.connections(), 2);
}

// The retry is only for kept connections: a new connection dropped without an answer is a failed
// attempt, sent once.
TEST(BeastWebhookTransport, NewConnectionClosedWithoutAnAnswerIsAFailedAttemptSentOnce) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return seen.index == 0 ? Reply{.after = Reply::After::drop_unanswered} : Reply{};
  });
  BeastWebhookTransport transport;
  WebhookResponse dropped = post(transport, receiver, "event-0");
  EXPECT_FALSE(dropped.success());
  EXPECT_EQ(dropped.http_status, 0u);
  EXPECT_FALSE(dropped.error.empty());
  EXPECT_EQ(receiver.bodies(), (std::vector<std::string>{"event-0"}));
  EXPECT_EQ(receiver.connections(), 1);

  EXPECT_TRUE(post(transport, receiver, "event-1").success());
  EXPECT_EQ(receiver.connections(), 2);
}

// Nor is a timeout retried: the receiver may be working on the request.
TEST(BeastWebhookTransport, TimeoutOnAKeptConnectionIsNotRetriedAndDropsIt) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return seen.index == 1 ? Reply{.after = Reply::After::never_answer} : Reply{};
  });
  BeastWebhookTransport transport;
  EXPECT_TRUE(post(transport, receiver, "event-0").success());
  WebhookResponse timed_out = post(transport, receiver, "event-1", 200'000'000);
  EXPECT_EQ(timed_out.error, "timeout");
  EXPECT_EQ(timed_out.http_status, 0u);
  EXPECT_EQ(receiver.bodies(), (std::vector<std::string>{"event-0", "event-1"}));
  EXPECT_TRUE(eventually([&] { return receiver.closed_by_client() == 1; }));

  EXPECT_TRUE(post(transport, receiver, "event-2").success());
  EXPECT_EQ(receiver.connections(), 2);
}

// Kept connections belong to the calling thread; a thread that ends closes its own.
TEST(BeastWebhookTransport, EachThreadKeepsItsOwnConnections) {
  LoopbackReceiver receiver;
  BeastWebhookTransport transport;
  EXPECT_TRUE(post(transport, receiver, "main-0").success());
  std::thread other([&] {
    EXPECT_TRUE(post(transport, receiver, "other-0").success());
    EXPECT_TRUE(post(transport, receiver, "other-1").success());
  });
  other.join();
  EXPECT_TRUE(post(transport, receiver, "main-1").success());

  EXPECT_EQ(receiver.connections(), 2);
  std::vector<Seen> requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].connection, requests[3].connection);
  EXPECT_EQ(requests[1].connection, requests[2].connection);
  EXPECT_NE(requests[0].connection, requests[1].connection);
  EXPECT_TRUE(eventually([&] { return receiver.closed_by_client() == 1; }));  // the other thread's
}

// At most kIdleConnectionsPerThreadMax idle connections per thread: one more receiver evicts (and
// closes) the oldest. On a new thread, so connections kept by earlier tests do not count.
TEST(BeastWebhookTransport, OneThreadKeepsAtMost16IdleConnectionsDroppingTheOldest) {
  ASSERT_EQ(kIdleConnectionsPerThreadMax, 16u);
  std::vector<std::unique_ptr<LoopbackReceiver>> receivers;
  for (size_t i = 0; i <= kIdleConnectionsPerThreadMax; ++i) {
    receivers.push_back(std::make_unique<LoopbackReceiver>());
  }
  BeastWebhookTransport transport;
  std::thread poster([&] {
    for (auto& receiver : receivers) EXPECT_TRUE(post(transport, *receiver, "first").success());
    // The 17th evicted the 1st; the other 16 are kept.
    EXPECT_TRUE(eventually([&] { return receivers[0]->closed_by_client() == 1; }));
    for (size_t i = 1; i < receivers.size(); ++i) {
      EXPECT_EQ(receivers[i]->closed_by_client(), 0) << i;
      EXPECT_TRUE(post(transport, *receivers[i], "second").success());
      EXPECT_EQ(receivers[i]->connections(), 1) << i;
    }
    EXPECT_TRUE(post(transport, *receivers[0], "second").success());
    EXPECT_EQ(receivers[0]->connections(), 2);
  });
  poster.join();
}

// A transport made to keep more (mpayd keeps --webhook-concurrency per thread) keeps every
// connection of a round of that many sequences: the next round opens none. With the default 16,
// 24 at once would open 8 anew each round.
TEST(BeastWebhookTransport, ARoundOfAsManySequencesAsItKeepsReusesEveryConnection) {
  constexpr size_t kAtOnce = 24;
  LoopbackReceiver receiver;
  BeastWebhookTransport transport("", kAtOnce);
  std::thread poster([&] {
    auto round = [&](const std::string& name) {
      std::vector<WebhookSequence> sequences;
      for (size_t i = 0; i < kAtOnce; ++i)
        sequences.push_back(sequence_to(receiver, numbered(name + std::to_string(i), 1)));
      for (const std::vector<WebhookResponse>& answers : transport.post_sequences(sequences)) {
        ASSERT_EQ(answers.size(), 1u);
        EXPECT_TRUE(answers[0].success()) << answers[0].error;
      }
    };
    round("first");
    EXPECT_EQ(receiver.connections(), static_cast<int>(kAtOnce));
    round("second");
    round("third");
    EXPECT_EQ(receiver.connections(), static_cast<int>(kAtOnce));
    EXPECT_EQ(receiver.closed_by_client(), 0);
  });
  poster.join();
}

// Sequences run at the same time: all four are in flight before any answer, so none finds the
// connection another one would have kept, and each opens its own. (One after the other, they
// would all have used the first one's.) On a new thread: no connection kept from earlier tests.
TEST(BeastWebhookTransport, SequencesAreSentAtTheSameTimeEachOnItsOwnConnection) {
  LoopbackReceiver receiver;
  BeastWebhookTransport transport;
  std::thread poster([&] {
    std::vector<WebhookSequence> sequences;
    for (const char* name : {"a", "b", "c", "d"})
      sequences.push_back(sequence_to(receiver, numbered(name, 3)));
    std::vector<std::vector<WebhookResponse>> answers = transport.post_sequences(sequences);
    ASSERT_EQ(answers.size(), 4u);
    for (const std::vector<WebhookResponse>& sequence : answers) {
      ASSERT_EQ(sequence.size(), 3u);
      for (const WebhookResponse& answer : sequence) EXPECT_TRUE(answer.success()) << answer.error;
      EXPECT_LE(sequence[0].started_after_ns, sequence[1].started_after_ns);
      EXPECT_LE(sequence[1].started_after_ns, sequence[2].started_after_ns);
    }
    EXPECT_EQ(receiver.connections(), 4);
    // In order within each sequence, on one connection.
    std::map<int, std::vector<std::string>> by_connection;
    for (const Seen& seen : receiver.requests())
      by_connection[seen.connection].push_back(seen.body);
    std::set<std::vector<std::string>> sent;
    for (const auto& [connection, bodies] : by_connection) sent.insert(bodies);
    EXPECT_EQ(sent, (std::set<std::vector<std::string>>{numbered("a", 3), numbered("b", 3),
                                                        numbered("c", 3), numbered("d", 3)}));
    // Kept: the next call reuses them.
    EXPECT_TRUE(post(transport, receiver, "again").success());
    EXPECT_EQ(receiver.connections(), 4);
  });
  poster.join();
}

// A sequence stops at its first request without an answer; the others go on to their end. The
// requests behind it were sent with it (pipelined) but are not reported: the dispatcher offers
// them again.
TEST(BeastWebhookTransport, ASequenceStopsAtAnUnansweredRequestAndTheOthersGoOn) {
  LoopbackReceiver receiver([](const Seen& seen) {
    if (seen.body == "dropped-0") return Reply{.after = Reply::After::drop_unanswered};
    if (seen.body.starts_with("silent-")) return Reply{.after = Reply::After::never_answer};
    return Reply{};
  });
  BeastWebhookTransport transport;
  std::vector<std::vector<WebhookResponse>> answers =
      transport.post_sequences({sequence_to(receiver, numbered("dropped-", 3)),
                                sequence_to(receiver, numbered("silent-", 2), 300'000'000),
                                sequence_to(receiver, numbered("fine-", 3))});
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_EQ(answers[0].size(), 1u);
  EXPECT_EQ(answers[0][0].http_status, 0u);
  EXPECT_FALSE(answers[0][0].error.empty());
  ASSERT_EQ(answers[1].size(), 1u);
  EXPECT_EQ(answers[1][0].error, "timeout");
  EXPECT_GE(answers[1][0].duration_ns, 300'000'000);  // its own deadline, not a shorter one
  ASSERT_EQ(answers[2].size(), 3u);
  for (const WebhookResponse& answer : answers[2]) EXPECT_TRUE(answer.success());
  // The receiver that closes read only the first; the silent one read both.
  std::set<std::string> seen;
  for (const std::string& body : receiver.bodies()) seen.insert(body);
  EXPECT_EQ(seen, (std::set<std::string>{"dropped-0", "silent-0", "silent-1", "fine-0", "fine-1",
                                         "fine-2"}));
}

// A request not started within its start_within_ns of the call is not sent: its sequence ends
// there, unanswered, and the dispatcher offers it again with a fresh signature time. A pipeline
// starts all its requests at once; this one's receiver answers the first late and closes the
// connection, so the second would start on a new one, past its window.
TEST(BeastWebhookTransport, ARequestPastItsStartWindowIsNotSent) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return seen.body == "slow-0" ? Reply{.after = Reply::After::close_with_header,
                                         .delay = std::chrono::milliseconds(200)}
                                 : Reply{};
  });
  BeastWebhookTransport transport;
  WebhookSequence sequence = sequence_to(receiver, {"slow-0", "late-1"});
  for (WebhookRequest& request : sequence) request.start_within_ns = 100'000'000;
  std::vector<std::vector<WebhookResponse>> answers = transport.post_sequences({sequence});
  ASSERT_EQ(answers.size(), 1u);
  ASSERT_EQ(answers[0].size(), 1u);  // "late-1" would have started after 200 ms
  EXPECT_TRUE(answers[0][0].success()) << answers[0][0].error;
  EXPECT_EQ(receiver.bodies(), (std::vector<std::string>{"slow-0"}));
  EXPECT_EQ(receiver.connections(), 1);
}

// A sequence's requests go out together on one connection, and each answer is matched to its
// request by order.
TEST(BeastWebhookTransport, ASequenceIsPipelinedAndEachAnswerGoesToItsRequest) {
  const std::vector<unsigned> statuses{200, 500, 202, 404, 200};
  LoopbackReceiver receiver([&](const Seen& seen) {
    return Reply{.status = seen.index < 5 ? statuses[seen.index] : 200u};
  });
  BeastWebhookTransport transport;
  std::thread poster([&] {
    std::vector<std::vector<WebhookResponse>> answers =
        transport.post_sequences({sequence_to(receiver, numbered("event-", 5))});
    ASSERT_EQ(answers.size(), 1u);
    ASSERT_EQ(answers[0].size(), 5u);
    for (size_t i = 0; i < statuses.size(); ++i) {
      EXPECT_EQ(answers[0][i].http_status, statuses[i]) << i;
      EXPECT_TRUE(answers[0][i].error.empty()) << i << ": " << answers[0][i].error;
      EXPECT_EQ(answers[0][i].started_after_ns, answers[0][0].started_after_ns) << i;
      EXPECT_GT(answers[0][i].duration_ns, 0) << i;
    }
    EXPECT_EQ(receiver.bodies(), numbered("event-", 5));
    EXPECT_EQ(receiver.connections(), 1);
    for (const Seen& seen : receiver.requests()) {
      EXPECT_EQ(seen.on_connection, seen.index);
      // Every request but the last was already followed by the next one when the receiver read it.
      EXPECT_EQ(seen.arrived_with_next, seen.index < 4) << seen.index;
    }
    EXPECT_TRUE(post(transport, receiver, "again").success());  // the connection was kept
    EXPECT_EQ(receiver.connections(), 1);
  });
  poster.join();
}

// A pipeline holds at most kPipelineDepthMax requests, and kPipelineBytesMax of bodies (but
// always one): the next pipeline is written after the last answer of the one before.
TEST(BeastWebhookTransport, APipelineIsCutAtItsDepthAndByteLimits) {
  ASSERT_EQ(kPipelineDepthMax, 16u);
  LoopbackReceiver receiver;
  BeastWebhookTransport transport;
  std::thread poster([&] {
    std::vector<std::vector<WebhookResponse>> answers =
        transport.post_sequences({sequence_to(receiver, numbered("event-", 20))});
    ASSERT_EQ(answers[0].size(), 20u);
    std::vector<Seen> requests = receiver.requests();
    ASSERT_EQ(requests.size(), 20u);
    for (const Seen& seen : requests) {
      EXPECT_EQ(seen.connection, 1);
      EXPECT_EQ(seen.arrived_with_next, seen.index != 15 && seen.index != 19) << seen.index;
    }

    std::vector<std::string> large;
    for (int i = 0; i < 3; ++i) large.push_back(std::string(kPipelineBytesMax / 2 + 1, 'a' + i));
    answers = transport.post_sequences({sequence_to(receiver, large)});
    ASSERT_EQ(answers[0].size(), 3u);
    for (const WebhookResponse& answer : answers[0]) EXPECT_TRUE(answer.success()) << answer.error;
    requests = receiver.requests();
    ASSERT_EQ(requests.size(), 23u);
    for (size_t i = 20; i < 23; ++i) EXPECT_FALSE(requests[i].arrived_with_next) << i;
  });
  poster.join();
}

// An answer with `Connection: close` in the middle of a pipeline: the requests the receiver had not
// answered go again on a new connection; each reaches it once, in order.
TEST(BeastWebhookTransport, ConnectionCloseInAPipelineSendsTheRestOnANewConnection) {
  LoopbackReceiver receiver([](const Seen& seen) {
    return seen.on_connection == 1 ? Reply{.after = Reply::After::close_with_header} : Reply{};
  });
  BeastWebhookTransport transport;
  std::vector<std::vector<WebhookResponse>> answers =
      transport.post_sequences({sequence_to(receiver, numbered("event-", 5))});
  ASSERT_EQ(answers[0].size(), 5u);
  for (const WebhookResponse& answer : answers[0]) EXPECT_TRUE(answer.success()) << answer.error;
  EXPECT_EQ(receiver.bodies(), numbered("event-", 5));
  EXPECT_EQ(receiver.connections(), 3);  // 0-1, 2-3, 4
}

// A receiver that closes after each answer, without saying so (support/webhook_receiver.h): the
// answer still counts, and the rest go again on new connections, each request once.
TEST(BeastWebhookTransport, ReceiverClosingSilentlyInAPipelineGetsEachRequestOnce) {
  LoopbackReceiver receiver(
      [](const Seen&) { return Reply{.after = Reply::After::close_silently}; });
  BeastWebhookTransport transport;
  std::vector<std::vector<WebhookResponse>> answers =
      transport.post_sequences({sequence_to(receiver, numbered("event-", 4))});
  ASSERT_EQ(answers[0].size(), 4u);
  for (const WebhookResponse& answer : answers[0]) EXPECT_TRUE(answer.success()) << answer.error;
  EXPECT_EQ(receiver.bodies(), numbered("event-", 4));
  EXPECT_EQ(receiver.connections(), 4);
}

// A receiver that answers the first request of a pipeline and then nothing (it read one request
// and dropped the rest): the second is the sequence's unanswered request, and the thread sends
// that receiver one request at a time from then on.
TEST(BeastWebhookTransport, AReceiverSilentInTheMiddleOfAPipelineGetsOneRequestAtATime) {
  LoopbackReceiver receiver([](const Seen& seen) {
    if (seen.connection == 1 && seen.on_connection > 0)
      return Reply{.after = Reply::After::never_answer};
    return Reply{};
  });
  BeastWebhookTransport transport;
  std::thread poster([&] {
    std::vector<std::vector<WebhookResponse>> answers =
        transport.post_sequences({sequence_to(receiver, numbered("first-", 3), 200'000'000)});
    ASSERT_EQ(answers[0].size(), 2u);
    EXPECT_TRUE(answers[0][0].success()) << answers[0][0].error;
    EXPECT_EQ(answers[0][1].error, "timeout");
    EXPECT_EQ(answers[0][1].http_status, 0u);

    answers = transport.post_sequences({sequence_to(receiver, numbered("next-", 3))});
    ASSERT_EQ(answers[0].size(), 3u);
    for (const WebhookResponse& answer : answers[0]) EXPECT_TRUE(answer.success()) << answer.error;
    std::vector<Seen> requests = receiver.requests();
    std::vector<Seen> next(requests.end() - 3, requests.end());
    for (const Seen& seen : next) {
      EXPECT_TRUE(seen.body.starts_with("next-")) << seen.body;
      EXPECT_EQ(seen.connection, 2);
      EXPECT_FALSE(seen.arrived_with_next) << seen.body;
    }
  });
  poster.join();
}

// The network policy (webhook_network_policy.h) at the connection: the transport checks the
// addresses a host resolves to and connects to none it refuses.
TEST(BeastWebhookTransport, PublicOnlyPolicyConnectsToNoLoopbackAddressWhateverTheHostIsCalled) {
  LoopbackReceiver receiver;
  WebhookNetworkPolicy public_only;
  public_only.private_networks_allowed = false;
  BeastWebhookTransport transport("", kIdleConnectionsPerThreadMax, public_only);
  for (const std::string& host : {std::string("127.0.0.1"), std::string("localhost")}) {
    WebhookRequest request;
    std::string url = receiver.url();
    request.url = "http://" + host + url.substr(url.find(':', 7));
    request.body = "{}";
    request.timeout_ns = kTimeoutNs;
    WebhookResponse response = transport.post(request);
    EXPECT_FALSE(response.success()) << host;
    EXPECT_EQ(response.http_status, 0u);
    EXPECT_TRUE(response.error.starts_with("address_refused: ")) << response.error;
    EXPECT_NE(response.error.find("loopback"), std::string::npos) << response.error;
  }
  EXPECT_EQ(receiver.connections(), 0);

  BeastWebhookTransport allowing("", kIdleConnectionsPerThreadMax, WebhookNetworkPolicy{});
  WebhookResponse delivered = post(allowing, receiver, "{}");
  EXPECT_TRUE(delivered.success()) << delivered.error;
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(BeastWebhookTransport, HttpsOnlyPolicySendsNothingToAnHttpUrl) {
  LoopbackReceiver receiver;
  WebhookNetworkPolicy https_only;
  https_only.https_required = true;
  BeastWebhookTransport transport("", kIdleConnectionsPerThreadMax, https_only);
  std::vector<std::vector<WebhookResponse>> answers =
      transport.post_sequences({sequence_to(receiver, numbered("event-", 3))});
  ASSERT_EQ(answers[0].size(), 1u) << "the sequence stops at its first refused request";
  EXPECT_TRUE(answers[0][0].error.starts_with("https_required: ")) << answers[0][0].error;
  EXPECT_EQ(receiver.connections(), 0);
}

}  // namespace
}  // namespace mpay::notify::webhooks
