// Over real HTTP: the Beast transport against a local receiver that fails the first deliveries
// (500s and dropped connections), then checks every signature and the order per subject.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <thread>

#include "notify/webhooks/beast_webhook_transport.h"
#include "notify/webhooks/webhook_dispatcher.h"
#include "notify/webhooks/webhook_signature.h"
#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"
#include "support/webhook_receiver.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 0x42};
constexpr const char* kSecret = "whsec_receiver_test";

// What a merchant's receiver does with X-Mpay-Signature (docs/webhooks.md).
bool signature_valid(const ReceivedRequest& request, const std::string& secret) {
  std::string header = request.header("X-Mpay-Signature");
  size_t comma = header.find(",v1=");
  if (header.rfind("t=", 0) != 0 || comma == std::string::npos) return false;
  int64_t t = std::stoll(header.substr(2, comma - 2));
  return header.substr(comma + 4) == signature_hex(secret, t, request.body);
}

DispatcherOptions fast_options() {
  DispatcherOptions options;
  options.concurrency = 4;
  options.poll_interval_ns = 5'000'000;
  options.attempt_timeout_ns = 2 * kSecondNs;
  options.retry.base_ns = 1'000'000;  // real time here: retry within milliseconds
  options.retry.cap_ns = 20'000'000;
  return options;
}

TEST(WebhookDelivery, FailsFirstThenDeliversEverythingSignedAndInOrder) {
  constexpr int kFailFirst = 6;
  WebhookReceiver receiver([](const ReceivedRequest&, int index) {
    if (index >= kFailFirst) return ReceiverReply::ok;
    return index % 2 == 0 ? ReceiverReply::server_error : ReceiverReply::drop_connection;
  });
  mpay::testing::TempDirectory directory;
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator ids(clock, random);
  Result<std::unique_ptr<WebhookOutbox>> outbox = WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  InTestEndpoints endpoints;
  endpoints.set(kMerchant, receiver.url(), kSecret);
  BeastWebhookTransport transport;
  WebhookDispatcher dispatcher(**outbox, endpoints, transport, clock, random, fast_options());
  (*outbox)->set_on_new_work([&] { dispatcher.wake(); });
  dispatcher.start();

  const std::vector<std::string> subjects = {"pr_a", "pr_b", "pr_c"};
  constexpr int kPerSubject = 4;
  const std::vector<std::string> types = {"payment_request.authorized", "payment_request.captured",
                                          "refund.succeeded", "payment_request.voided"};
  for (int i = 1; i <= kPerSubject; ++i) {
    for (const std::string& subject : subjects) {
      ASSERT_TRUE((*outbox)->enqueue({make_event(kMerchant, subject, i, types[i - 1])}).ok());
    }
  }
  size_t total = subjects.size() * kPerSubject;
  ASSERT_TRUE(eventually([&] { return receiver.accepted().size() >= total; }));
  ASSERT_TRUE(eventually([&] { return (*outbox)->pending_count().value() == 0; }));
  dispatcher.stop();

  EXPECT_GE(receiver.received().size(), total + kFailFirst);
  std::map<std::string, int> last_index;
  for (const ReceivedRequest& request : receiver.accepted()) {
    EXPECT_TRUE(signature_valid(request, kSecret)) << request.header("X-Mpay-Signature");
    EXPECT_FALSE(signature_valid(request, "whsec_wrong"));
    EXPECT_EQ(request.target, "/hooks/mpay");
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_EQ(request.header("User-Agent"), "mpay-webhooks/1");
    std::string event_id = request.header("X-Mpay-Event-Id");
    std::string subject = event_id.substr(4, 4);
    int index = std::stoi(event_id.substr(9));
    EXPECT_EQ(request.header("X-Mpay-Event-Type"), types[index - 1]);
    EXPECT_NE(request.body.find("\"id\":\"" + event_id + "\""), std::string::npos);
    EXPECT_EQ(index, last_index[subject] + 1) << event_id << " out of order";
    last_index[subject] = index;
  }
  for (const std::string& subject : subjects) EXPECT_EQ(last_index[subject], kPerSubject);

  // The attempts are on record: the failed ones with their status or error.
  Result<DeliveryPage> page = (*outbox)->list(DeliveryQuery{kMerchant, {}, {}, 100, {}});
  ASSERT_EQ(page->items.size(), total);
  int64_t attempts = 0;
  bool saw_500 = false;
  bool saw_dropped = false;
  for (const DeliveryRecord& delivery : page->items) {
    EXPECT_EQ(delivery.status, DeliveryStatus::delivered);
    EXPECT_EQ(delivery.last_http_status, 200u);
    attempts += delivery.attempts;
    Result<std::optional<DeliveryDetail>> detail = (*outbox)->find(kMerchant, delivery.id);
    ASSERT_TRUE(detail.ok() && detail->has_value());
    for (const AttemptRecord& attempt : (*detail)->attempts) {
      saw_500 |= attempt.http_status == 500;
      saw_dropped |= attempt.http_status == 0 && !attempt.error.empty();
    }
  }
  EXPECT_EQ(attempts, static_cast<int64_t>(receiver.received().size()));
  EXPECT_TRUE(saw_500);
  EXPECT_TRUE(saw_dropped);
}

TEST(WebhookDelivery, InvalidAndUnreachableReceiversAreFailedAttempts) {
  BeastWebhookTransport transport;
  WebhookRequest request;
  request.url = "not a url";
  EXPECT_EQ(transport.post(request).error, "url_invalid");
  // A port nobody listens on: connection refused, no status.
  uint16_t closed_port;
  {
    WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; });
    closed_port = receiver.port();
  }
  request.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/";
  request.timeout_ns = kSecondNs;
  WebhookResponse response = transport.post(request);
  EXPECT_EQ(response.http_status, 0u);
  EXPECT_FALSE(response.error.empty());
  EXPECT_FALSE(response.success());
}

// A self-signed certificate for "localhost", made with the openssl command line for this test.
class TlsDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    certificate = directory.path() + "/cert.pem";
    key = directory.path() + "/key.pem";
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost -keyout " +
        key + " -out " + certificate + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) GTEST_SKIP() << "the openssl command is not available";
  }
  mpay::testing::TempDirectory directory;
  std::string certificate;
  std::string key;
};

TEST_F(TlsDelivery, PostsOverHttpsToAReceiverWithATrustedCertificate) {
  WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; },
                           WebhookReceiver::TlsFiles{certificate, key});
  BeastWebhookTransport transport(certificate);  // trust the test certificate
  WebhookRequest request;
  request.url = receiver.url("/hooks/tls", "localhost");
  request.body = R"({"id":"evt_tls"})";
  request.headers = {
      {"X-Mpay-Signature", signature_header_value(kSecret, 1764072000, request.body)}};
  WebhookResponse response = transport.post(request);
  EXPECT_TRUE(response.success()) << response.error;
  EXPECT_EQ(response.http_status, 200u);
  ASSERT_EQ(receiver.accepted().size(), 1u);
  EXPECT_EQ(receiver.accepted()[0].body, request.body);
  EXPECT_EQ(receiver.accepted()[0].target, "/hooks/tls");
  EXPECT_TRUE(signature_valid(receiver.accepted()[0], kSecret));
}

TEST_F(TlsDelivery, KeepsOneTlsConnectionForSeveralAttempts) {
  WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; },
                           WebhookReceiver::TlsFiles{certificate, key});
  receiver.keep_alive_for(3);  // the third answer closes the connection
  BeastWebhookTransport transport(certificate);
  WebhookRequest request;
  request.url = receiver.url("/hooks/tls", "localhost");
  request.timeout_ns = 5 * kSecondNs;
  // From a thread of its own: its kept connection closes when it ends, which lets the one-at-a-time
  // receiver go back to accepting (and stop).
  std::thread sender([&] {
    for (int i = 1; i <= 4; ++i) {
      request.body = R"({"id":"evt_tls_)" + std::to_string(i) + R"("})";
      WebhookResponse response = transport.post(request);
      EXPECT_TRUE(response.success()) << i << ": " << response.error;
    }
  });
  sender.join();
  ASSERT_EQ(receiver.accepted().size(), 4u);  // each once, in order
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(receiver.accepted()[i - 1].body, R"({"id":"evt_tls_)" + std::to_string(i) + R"("})");
  }
  EXPECT_EQ(receiver.connections(), 2)
      << "one handshake for the first three, a new one after the close";
}

TEST_F(TlsDelivery, RefusesAnUntrustedCertificateOrOneForAnotherHost) {
  WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; },
                           WebhookReceiver::TlsFiles{certificate, key});
  WebhookRequest request;
  request.timeout_ns = 2 * kSecondNs;
  // The system's trust store does not know the test certificate.
  BeastWebhookTransport system_trust;
  request.url = receiver.url("/", "localhost");
  WebhookResponse untrusted = system_trust.post(request);
  EXPECT_FALSE(untrusted.success());
  EXPECT_EQ(untrusted.http_status, 0u);
  EXPECT_NE(untrusted.error.find("certificate verify failed"), std::string::npos)
      << untrusted.error;
  // Trusted, but the URL names 127.0.0.1 and the certificate only "localhost".
  BeastWebhookTransport test_trust(certificate);
  request.url = receiver.url("/", "127.0.0.1");
  WebhookResponse wrong_host = test_trust.post(request);
  EXPECT_FALSE(wrong_host.success());
  EXPECT_EQ(wrong_host.http_status, 0u);
  EXPECT_TRUE(receiver.received().empty());
}

TEST(WebhookDeliveryTls, AMissingCaFileFailsHttpsAttemptsClearly) {
  BeastWebhookTransport transport("/nonexistent/ca.pem");
  WebhookRequest request;
  request.url = "https://localhost:1/";
  EXPECT_EQ(transport.post(request).error.rfind("tls_unavailable", 0), 0u);
}

}  // namespace
}  // namespace mpay::notify::webhooks
