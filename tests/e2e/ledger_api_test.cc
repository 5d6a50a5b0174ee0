// The ledger API end to end: mpayd runs as a separate process on a free port with its own data
// directory, and the test talks HTTP to it the way a client would.
#include <gtest/gtest.h>

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
const char* kBob = "00000000-0000-7000-8000-000000000003";

std::string transfer_id(int n) {
  char text[40];
  std::snprintf(text, sizeof(text), "00000000-0000-7000-9000-%012d", n);
  return text;
}

class LedgerApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start() {
    server_ = std::make_unique<MpaydProcess>(MPAYD_BINARY, directory_.path() + "/data");
    client_ = std::make_unique<HttpClient>("127.0.0.1", server_->port());
    auth_ = {{"Authorization", "Bearer " + server_->operator_token()}};
  }

  HttpReply get(const std::string& target) { return client_->request(verb::get, target, "", auth_); }
  HttpReply post(const std::string& target, const std::string& body) {
    return client_->request(verb::post, target, body, auth_);
  }
  json post_json(const std::string& target, const json& body, unsigned expected_status = 200) {
    HttpReply reply = post(target, body.dump());
    EXPECT_EQ(reply.status, expected_status) << reply.body;
    return json::parse(reply.body);
  }
  static std::string error_code(const HttpReply& reply) {
    return json::parse(reply.body)["error"]["code"].get<std::string>();
  }

  void create_three_accounts() {
    json results = post_json("/v1/ledger/accounts", json::array({
        {{"id", kFunding}, {"currency", "CNY"}, {"kind", "system"}},
        {{"id", kAlice}, {"currency", "CNY"}, {"kind", "user_wallet"},
         {"flags", {"debits_must_not_exceed_credits"}}},
        {{"id", kBob}, {"currency", "CNY"}, {"kind", "user_wallet"},
         {"flags", {"debits_must_not_exceed_credits"}}},
    }));
    ASSERT_EQ(results.size(), 3u);
    for (const json& r : results) EXPECT_EQ(r["status"], "created");
  }

  testing::TempDirectory directory_;
  std::unique_ptr<MpaydProcess> server_;
  std::unique_ptr<HttpClient> client_;
  std::map<std::string, std::string> auth_;
};

TEST_F(LedgerApiTest, HealthIsPublicAndEverythingElseNeedsTheOperatorToken) {
  HttpReply health = client_->request(verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  // Probes and scrapers may add parameters of their own: the public pages read none and take
  // them (every other route refuses a parameter it does not know).
  for (const char* target :
       {"/healthz?ts=1733460000", "/metrics?module=mpay", "/v1/openapi.yaml?v=2"}) {
    EXPECT_EQ(client_->request(verb::get, target).status, 200u) << target;
  }
  HttpReply unknown =
      client_->request(verb::get, std::string("/v1/ledger/accounts/") + kAlice + "?ts=1");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(error_code(unknown), "query_parameter_unknown");

  HttpReply missing = client_->request(verb::get, std::string("/v1/ledger/accounts/") + kAlice);
  EXPECT_EQ(missing.status, 401u);
  EXPECT_EQ(error_code(missing), "missing_token");

  HttpReply wrong = client_->request(verb::get, std::string("/v1/ledger/accounts/") + kAlice, "",
                                     {{"Authorization", "Bearer " + std::string(64, 'a')}});
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(error_code(wrong), "invalid_token");

  HttpReply nothing_created = post("/v1/ledger/accounts", "[]");
  EXPECT_EQ(nothing_created.status, 400u);
}

TEST_F(LedgerApiTest, TransfersMoveMoneyAndReadBackAtOnce) {
  create_three_accounts();
  json results = post_json("/v1/ledger/transfers", json::array({
      {{"id", transfer_id(1)}, {"debit_account_id", kFunding}, {"credit_account_id", kAlice},
       {"amount", 10000}, {"currency", "CNY"}},
      {{"id", transfer_id(2)}, {"debit_account_id", kAlice}, {"credit_account_id", kBob},
       {"amount", 2550}, {"currency", "CNY"}},
      {{"id", transfer_id(3)}, {"debit_account_id", kAlice}, {"credit_account_id", kBob},
       {"amount", 999999}, {"currency", "CNY"}},
      {{"id", transfer_id(1)}, {"debit_account_id", kFunding}, {"credit_account_id", kAlice},
       {"amount", 10000}, {"currency", "CNY"}},
  }));
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["id"], transfer_id(1));
  EXPECT_EQ(results[0]["status"], "created");
  EXPECT_EQ(results[1]["status"], "created");
  EXPECT_EQ(results[2]["status"], "exceeds_credits");
  EXPECT_EQ(results[3]["status"], "exists");

  json alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["credits_posted"], 10000);
  EXPECT_EQ(alice["debits_posted"], 2550);
  EXPECT_EQ(alice["currency"], "CNY");
  EXPECT_EQ(alice["kind"], "user_wallet");
  EXPECT_EQ(alice["flags"], json::array({"debits_must_not_exceed_credits"}));

  HttpReply transfer = get("/v1/ledger/transfers/" + transfer_id(2));
  ASSERT_EQ(transfer.status, 200u) << transfer.body;
  json t = json::parse(transfer.body);
  EXPECT_EQ(t["amount"], 2550);
  EXPECT_EQ(t["debit_account_id"], kAlice);
  EXPECT_EQ(t["credit_account_id"], kBob);

  HttpReply rejected = get("/v1/ledger/transfers/" + transfer_id(3));
  EXPECT_EQ(rejected.status, 404u);
  EXPECT_EQ(error_code(rejected), "transfer_not_found");

  // More than one operation may move (10^13 minor units) refuses the whole batch, the good
  // transfer beside it included.
  json too_large = post_json("/v1/ledger/transfers",
                             json::array({
                                 {{"id", transfer_id(4)},
                                  {"debit_account_id", kFunding},
                                  {"credit_account_id", kAlice},
                                  {"amount", 1},
                                  {"currency", "CNY"}},
                                 {{"id", transfer_id(5)},
                                  {"debit_account_id", kFunding},
                                  {"credit_account_id", kAlice},
                                  {"amount", 10'000'000'000'001},
                                  {"currency", "CNY"}},
                             }),
                             422);
  EXPECT_EQ(too_large["error"]["code"], "amount_too_large");
  EXPECT_EQ(too_large["error"]["field"], "[1].amount");
  EXPECT_EQ(get("/v1/ledger/transfers/" + transfer_id(4)).status, 404u);
  alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["credits_posted"], 10000);

  json page = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice + "/transfers?limit=1").body);
  ASSERT_EQ(page["data"].size(), 1u);
  EXPECT_EQ(page["data"][0]["id"], transfer_id(1));
  ASSERT_TRUE(page["next_cursor"].is_string());
  json next = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice +
                              "/transfers?limit=1&after=" + page["next_cursor"].get<std::string>())
                              .body);
  ASSERT_EQ(next["data"].size(), 1u);
  EXPECT_EQ(next["data"][0]["id"], transfer_id(2));
}

TEST_F(LedgerApiTest, ItemsWithoutAnIdGetATimeOrderedIdFromTheServer) {
  create_three_accounts();
  json results = post_json("/v1/ledger/transfers", json::array({
      {{"debit_account_id", kFunding}, {"credit_account_id", kAlice}, {"amount", 5}, {"currency", "CNY"}},
      {{"debit_account_id", kFunding}, {"credit_account_id", kAlice}, {"amount", 6}, {"currency", "CNY"}}}));
  ASSERT_EQ(results.size(), 2u);
  std::string first = results[0]["id"], second = results[1]["id"];
  EXPECT_EQ(results[0]["status"], "created");
  EXPECT_EQ(first[14], '7') << "UUID version 7: " << first;
  EXPECT_LT(first, second) << "ids from one server increase";
  json t = json::parse(get("/v1/ledger/transfers/" + second).body);
  EXPECT_EQ(t["amount"], 6);
}

TEST_F(LedgerApiTest, TwoPhaseTransfersThroughTheApi) {
  create_three_accounts();
  post_json("/v1/ledger/transfers", json::array({{{"id", transfer_id(1)}, {"debit_account_id", kFunding},
                                                  {"credit_account_id", kAlice}, {"amount", 1000},
                                                  {"currency", "CNY"}}}));
  json held = post_json("/v1/ledger/transfers", json::array({
      {{"id", transfer_id(2)}, {"debit_account_id", kAlice}, {"credit_account_id", kBob},
       {"amount", 600}, {"currency", "CNY"}, {"flags", {"pending"}}, {"timeout_s", 3600}}}));
  EXPECT_EQ(held[0]["status"], "created");
  json alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["debits_pending"], 600);

  json posted = post_json("/v1/ledger/transfers", json::array({
      {{"id", transfer_id(3)}, {"pending_id", transfer_id(2)}, {"amount", 400},
       {"flags", {"post_pending_transfer"}}},
      {{"id", transfer_id(4)}, {"pending_id", transfer_id(2)}, {"flags", {"void_pending_transfer"}}}}));
  EXPECT_EQ(posted[0]["status"], "created");
  EXPECT_EQ(posted[1]["status"], "pending_transfer_already_posted");
  json pending = json::parse(get("/v1/ledger/transfers/" + transfer_id(2)).body);
  EXPECT_EQ(pending["pending_status"], "posted");
  alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["debits_pending"], 0);
  EXPECT_EQ(alice["debits_posted"], 400);
}

TEST_F(LedgerApiTest, BadInputGetsPreciseErrorsAndChangesNothing) {
  create_three_accounts();
  struct Case {
    std::string body;
    unsigned status;
    std::string code;
    std::string field;
  };
  const std::string good_item = json{{"id", transfer_id(9)}, {"debit_account_id", kFunding},
                                     {"credit_account_id", kAlice}, {"amount", 5},
                                     {"currency", "CNY"}}.dump();
  std::vector<Case> cases = {
      {"{not json", 400, "json_invalid", ""},
      {"", 400, "body_empty", ""},
      {"{}", 400, "json_wrong_type", ""},
      {"[" + good_item + ", 7]", 400, "json_not_object", ""},
      {R"([{"id":"x","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5,"currency":"CNY"}])",
       400, "invalid_id", "[0].id"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":"5","currency":"CNY"}])",
       400, "json_wrong_type", "[0].amount"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5.5,"currency":"CNY"}])",
       400, "json_number_out_of_range", "[0].amount"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5,"currency":"XYZ"}])",
       400, "currency_unknown", "[0].currency"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5,"currency":"CNY","colour":"red"}])",
       400, "json_unknown_field", "[0].colour"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","id":"00000000-0000-7000-9000-000000000008","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5,"currency":"CNY"}])",
       400, "json_duplicate_key", "id"},
      {R"([{"id":"00000000-0000-7000-9000-000000000009","debit_account_id":"00000000-0000-7000-8000-000000000001","credit_account_id":"00000000-0000-7000-8000-000000000002","amount":5,"currency":"CNY","flags":["sideways"]}])",
       400, "unknown_flag", "[0].flags"},
  };
  for (const Case& c : cases) {
    HttpReply reply = post("/v1/ledger/transfers", c.body);
    EXPECT_EQ(reply.status, c.status) << c.body << " -> " << reply.body;
    json error = json::parse(reply.body)["error"];
    EXPECT_EQ(error["code"], c.code) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(error["field"], c.field) << c.body;
    }
  }
  // An unknown account is the ledger's judgement: a per-item result, not a 400.
  json results = post_json("/v1/ledger/transfers", json::array({
      {{"id", transfer_id(10)}, {"debit_account_id", kFunding},
       {"credit_account_id", "00000000-0000-7000-8000-0000000000ff"}, {"amount", 5}, {"currency", "CNY"}}}));
  EXPECT_EQ(results[0]["status"], "credit_account_not_found");

  HttpReply unknown_account = get("/v1/ledger/accounts/00000000-0000-7000-8000-0000000000ff");
  EXPECT_EQ(unknown_account.status, 404u);
  EXPECT_EQ(error_code(unknown_account), "account_not_found");
  HttpReply bad_id = get("/v1/ledger/accounts/not-a-uuid");
  EXPECT_EQ(bad_id.status, 400u);
  HttpReply bad_limit = get(std::string("/v1/ledger/accounts/") + kAlice + "/transfers?limit=0");
  EXPECT_EQ(bad_limit.status, 400u);

  // Over the body limit: refused before it is read, connection closed.
  std::string huge = "[" + std::string(4 * 1024 * 1024, ' ') + "]";
  HttpReply too_big = post("/v1/ledger/transfers", huge);
  EXPECT_EQ(too_big.status, 413u);
  EXPECT_EQ(error_code(too_big), "body_too_large");

  // None of it moved money.
  json alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["credits_posted"], 0);
  json funding = json::parse(get(std::string("/v1/ledger/accounts/") + kFunding).body);
  EXPECT_EQ(funding["debits_posted"], 0);
}

TEST_F(LedgerApiTest, SigtermDrainsAndExitsZeroAndARestartKeepsEverything) {
  create_three_accounts();
  post_json("/v1/ledger/transfers", json::array({{{"id", transfer_id(1)}, {"debit_account_id", kFunding},
                                                  {"credit_account_id", kAlice}, {"amount", 777},
                                                  {"currency", "CNY"}}}));
  client_->close();
  EXPECT_EQ(server_->stop(), 0);
  start();
  json alice = json::parse(get(std::string("/v1/ledger/accounts/") + kAlice).body);
  EXPECT_EQ(alice["credits_posted"], 777);
  HttpReply t = get("/v1/ledger/transfers/" + transfer_id(1));
  EXPECT_EQ(t.status, 200u);
}

}  // namespace
}  // namespace mpay
