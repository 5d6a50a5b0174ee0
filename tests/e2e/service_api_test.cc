// The service routes and the Idempotency-Key end to end, against a real mpayd: GET /metrics in
// the Prometheus text format, GET /v1/openapi.yaml, and a retried payment that pays once (also
// after a restart, since keys live in mpay.db).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.h"
#include "support/mpayd_process.h"
#include "support/temp_directory.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::HttpClient;
using testing::HttpReply;
using testing::MpaydProcess;

const char* kFunding = "00000000-0000-7000-8000-000000000001";
const char* kAlice = "00000000-0000-7000-8000-000000000002";

bool contains_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// The value of the sample written exactly as `series` (name and labels), or -1 if absent.
double sample(const std::string& text, const std::string& series) {
  size_t at = ("\n" + text).find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 1));
}

class ServiceApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start() {
    server_ = std::make_unique<MpaydProcess>(MPAYD_BINARY, directory_.path() + "/data");
    client_ = std::make_unique<HttpClient>("127.0.0.1", server_->port());
    auth_ = {{"Authorization", "Bearer " + server_->operator_token()}};
  }
  void restart() {
    client_.reset();
    ASSERT_EQ(server_->stop(), 0);
    start();
  }

  HttpReply get(const std::string& target) { return client_->request(verb::get, target, "", auth_); }
  HttpReply post(const std::string& target, const std::string& body,
                 const std::string& idempotency_key = "") {
    std::map<std::string, std::string> headers = auth_;
    if (!idempotency_key.empty()) headers["Idempotency-Key"] = idempotency_key;
    return client_->request(verb::post, target, body, headers);
  }
  static std::string error_code(const HttpReply& reply) {
    return json::parse(reply.body)["error"]["code"].get<std::string>();
  }

  void create_accounts() {
    HttpReply reply = post("/v1/ledger/accounts",
                           json::array({{{"id", kFunding}, {"currency", "CNY"}, {"kind", "system"}},
                                        {{"id", kAlice}, {"currency", "CNY"}, {"kind", "user_wallet"}}})
                               .dump(),
                           "accounts-1");
    ASSERT_EQ(reply.status, 200u) << reply.body;
  }

  testing::TempDirectory directory_;
  std::unique_ptr<MpaydProcess> server_;
  std::unique_ptr<HttpClient> client_;
  std::map<std::string, std::string> auth_;
};

TEST_F(ServiceApiTest, MetricsArePublicPrometheusText) {
  ASSERT_EQ(client_->request(verb::get, "/healthz").status, 200u);
  create_accounts();
  HttpReply metrics = client_->request(verb::get, "/metrics");  // no token
  ASSERT_EQ(metrics.status, 200u) << metrics.body;
  EXPECT_EQ(metrics.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  EXPECT_TRUE(contains_line(text, "# TYPE mpay_http_requests_total counter")) << text;
  EXPECT_TRUE(contains_line(
      text, "mpay_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_requests_total{route=\"/v1/ledger/accounts\",method=\"POST\","
                            "status=\"200\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text, "# TYPE mpay_http_request_duration_seconds histogram")) << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_request_duration_seconds_count{route=\"/healthz\","
                            "method=\"GET\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text, "# TYPE mpay_ledger_batch_events histogram")) << text;
  // At least the batch that created the two accounts.
  EXPECT_GE(sample(text, "mpay_ledger_batch_events_bucket{le=\"2\"}"), 1) << text;
  EXPECT_GE(sample(text, "mpay_ledger_batch_events_sum"), 2) << text;
  EXPECT_EQ(sample(text, "mpay_ledger_batch_events_count"),
            sample(text, "mpay_ledger_batch_events_bucket{le=\"+Inf\"}"));
  EXPECT_TRUE(contains_line(text, "# TYPE mpay_ledger_commit_duration_seconds histogram")) << text;
  EXPECT_GE(sample(text, "mpay_ledger_commit_duration_seconds_count"), 1) << text;
  EXPECT_GE(sample(text, "mpay_ledger_commits_total"), 1) << text;
  EXPECT_TRUE(contains_line(text, "# TYPE mpay_ledger_queued_events gauge")) << text;
  EXPECT_TRUE(contains_line(text, "mpay_ledger_queued_events 0")) << text;
  // The two above, and the wallet's bank clearing account and the merchants' fee income account,
  // which mpayd creates at start.
  EXPECT_TRUE(contains_line(text, "mpay_ledger_accounts 4")) << text;

  // The scrape itself is counted on the next one.
  HttpReply again = client_->request(verb::get, "/metrics");
  EXPECT_TRUE(contains_line(
      again.body, "mpay_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"200\"} 1"))
      << again.body;
}

TEST_F(ServiceApiTest, ServesTheOpenApiDocumentItWasBuiltWith) {
  HttpReply reply = client_->request(verb::get, "/v1/openapi.yaml");  // no token
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.headers["Content-Type"], "application/yaml");
  std::ifstream file(MPAY_OPENAPI_YAML, std::ios::binary);
  std::string on_disk((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(on_disk.empty());
  EXPECT_EQ(reply.body, on_disk);
}

TEST_F(ServiceApiTest, ARetriedPaymentWithTheSameIdempotencyKeyPaysOnce) {
  create_accounts();
  // No transfer id: without the key, a retry would be a second payment.
  std::string payment = json::array({{{"debit_account_id", kFunding},
                                      {"credit_account_id", kAlice},
                                      {"amount", 2550},
                                      {"currency", "CNY"}}})
                            .dump();
  HttpReply first = post("/v1/ledger/transfers", payment, "pay-order-42");
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(json::parse(first.body)[0]["status"], "created");
  EXPECT_EQ(first.headers.count("Idempotent-Replayed"), 0u);

  HttpReply retry = post("/v1/ledger/transfers", payment, "pay-order-42");
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.body, first.body);  // byte for byte, the same server-generated id
  EXPECT_EQ(retry.headers["Content-Type"], first.headers["Content-Type"]);
  EXPECT_EQ(retry.headers["Idempotent-Replayed"], "true");

  HttpReply reused = post("/v1/ledger/transfers",
                          json::array({{{"debit_account_id", kFunding},
                                        {"credit_account_id", kAlice},
                                        {"amount", 9999},
                                        {"currency", "CNY"}}})
                              .dump(),
                          "pay-order-42");
  EXPECT_EQ(reused.status, 422u) << reused.body;
  EXPECT_EQ(error_code(reused), "idempotency_key_reused");

  HttpReply invalid = post("/v1/ledger/transfers", payment, std::string(256, 'x'));
  EXPECT_EQ(invalid.status, 400u);
  EXPECT_EQ(error_code(invalid), "invalid_idempotency_key");

  // Keys live in mpay.db: the replay survives a restart.
  restart();
  HttpReply after_restart = post("/v1/ledger/transfers", payment, "pay-order-42");
  ASSERT_EQ(after_restart.status, 200u);
  EXPECT_EQ(after_restart.body, first.body);
  EXPECT_EQ(after_restart.headers["Idempotent-Replayed"], "true");

  json alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["credits_posted"], 2550);
  json history =
      json::parse(get(std::string("/v1/ledger/accounts/") + kAlice + "/transfers").body);
  ASSERT_EQ(history["data"].size(), 1u) << history.dump();
  EXPECT_EQ(history["data"][0]["id"], json::parse(first.body)[0]["id"]);
}

}  // namespace
}  // namespace mpay
