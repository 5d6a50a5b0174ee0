// The merchant API end to end: an operator onboards a merchant over HTTP, the merchant signs
// requests, and every refusal answers its own 401 code with nothing processed; secrets are shown
// once and never reach mpay.db in clear; a restart refuses what was signed before it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "support/merchant_client.h"
#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::error_code_of;
using testing::HttpReply;
using testing::MerchantClient;
using testing::SignedCall;

class MerchantApiTest : public testing::WalletServerTest {
 protected:
  json onboard(const std::string& idempotency_key = "") {
    testing::HttpClient client("127.0.0.1", port());
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + server_->operator_token()}};
    if (!idempotency_key.empty()) headers["Idempotency-Key"] = idempotency_key;
    HttpReply created = client.request(verb::post, "/v1/admin/merchants", testing::merchant_application_json().dump(), headers);
    EXPECT_EQ(created.status, 201u) << created.body;
    return json::parse(created.body);
  }
  MerchantClient merchant_client(const json& created) {
    return MerchantClient(port(), created["api_key"]["key_id"], created["api_key"]["secret"]);
  }
  int audit_rows() {
    sqlite3* db = nullptr;
    sqlite3_open_v2((data() + "/mpay.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log", -1, &statement, nullptr);
    sqlite3_step(statement);
    int rows = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
  }
  std::string stored_bytes() {
    std::string all;
    for (const char* file : {"/mpay.db", "/mpay.db-wal"}) {
      std::ifstream in(data() + file, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }
};

TEST_F(MerchantApiTest, OnboardThenASignedRequestSeesItsOwnMaskedProfile) {
  json created = onboard();
  std::string merchant_id = created["merchant"]["merchant_id"];
  EXPECT_EQ(created["merchant"]["settlement_account"]["account_number"], "6222 **** **** 3445");
  EXPECT_EQ(created["merchant"]["accounts"][0]["currency"], "CNY");
  EXPECT_TRUE(created["webhook_secret"].get<std::string>().starts_with("whsec_"));

  MerchantClient merchant = merchant_client(created);
  HttpReply own = merchant.send(SignedCall());
  ASSERT_EQ(own.status, 200u) << own.body;
  json profile = json::parse(own.body);
  EXPECT_EQ(profile["merchant_id"], merchant_id);
  EXPECT_EQ(own.body.find("msk_"), std::string::npos);
  EXPECT_EQ(own.body.find("whsec_"), std::string::npos);
  EXPECT_EQ(own.body.find("6222020200112233445"), std::string::npos);
  // The query is part of what is signed, exactly as sent (on a route that takes one); a route that
  // takes none refuses it, signed or not.
  EXPECT_EQ(merchant.send(SignedCall().with_target("/v1/payment-requests?status=captured&limit=10"))
                .status,
            200u);
  HttpReply queried = merchant.send(SignedCall().with_target("/v1/merchant?expand=keys"));
  EXPECT_EQ(queried.status, 400u) << queried.body;
  EXPECT_EQ(error_code_of(queried), "query_parameter_unknown");

  HttpReply viewed = operator_call(verb::get, "/v1/admin/merchants/" + merchant_id);
  ASSERT_EQ(viewed.status, 200u) << viewed.body;
  EXPECT_EQ(json::parse(viewed.body)["api_keys"].size(), 1u);
  HttpReply listed = operator_call(verb::get, "/v1/admin/merchants?limit=1");
  ASSERT_EQ(listed.status, 200u);
  EXPECT_EQ(json::parse(listed.body)["next_after"], merchant_id);
  EXPECT_EQ(json::parse(operator_call(verb::get, "/v1/admin/merchants?after=" + merchant_id).body)["items"].size(), 0u);
  EXPECT_EQ(error_code_of(operator_call(verb::get, "/v1/admin/merchants?limit=0")), "limit_invalid");
}

TEST_F(MerchantApiTest, EachRefusalHasItsOwnCodeAndProcessesNothing) {
  json created = onboard();
  std::string merchant_id = created["merchant"]["merchant_id"];
  MerchantClient merchant = merchant_client(created);
  int audited = audit_rows();
  int64_t now = testing::unix_now_s();

  auto refused = [&](const HttpReply& reply) {
    EXPECT_EQ(reply.status, 401u) << reply.body;
    return error_code_of(reply);
  };
  EXPECT_EQ(refused(merchant.send(SignedCall(), true)), "signature_headers_missing");
  EXPECT_EQ(refused(merchant.send(SignedCall().with_nonce("bad nonce"))), "signature_header_invalid");
  EXPECT_EQ(refused(merchant.send(SignedCall().with_timestamp(std::to_string(now - 301)).with_nonce("skew-past"))), "timestamp_skew");
  EXPECT_EQ(refused(merchant.send(SignedCall().with_timestamp(std::to_string(now + 400)).with_nonce("skew-future"))), "timestamp_skew");
  EXPECT_EQ(refused(merchant.send(SignedCall().with_key_id("mk_ffffffffffffffffffffffff").with_nonce("unknown"))), "key_unknown");
  // A forged signature does not use up the nonce: the real request with it goes through after.
  EXPECT_EQ(refused(merchant.send(SignedCall().with_nonce("once").with_secret("msk_forged"))), "signature_invalid");
  EXPECT_EQ(merchant.send(SignedCall().with_nonce("once")).status, 200u);
  EXPECT_EQ(refused(merchant.send(SignedCall().with_nonce("once"))), "nonce_reused");

  ASSERT_EQ(operator_call(verb::post, "/v1/admin/merchants/" + merchant_id + "/suspend").status, 200u);
  EXPECT_EQ(refused(merchant.send(SignedCall())), "merchant_suspended");
  ASSERT_EQ(operator_call(verb::post, "/v1/admin/merchants/" + merchant_id + "/reactivate").status, 200u);
  EXPECT_EQ(merchant.send(SignedCall()).status, 200u);

  HttpReply key = operator_call(verb::post, "/v1/admin/merchants/" + merchant_id + "/keys");
  ASSERT_EQ(key.status, 201u) << key.body;
  MerchantClient second(port(), json::parse(key.body)["key_id"], json::parse(key.body)["secret"]);
  ASSERT_EQ(operator_call(verb::post, "/v1/admin/merchants/" + merchant_id + "/keys/" + merchant.key_id() + "/revoke").status,
            200u);
  EXPECT_EQ(refused(merchant.send(SignedCall())), "key_revoked");
  EXPECT_EQ(second.send(SignedCall()).status, 200u);  // rotation: the new key works, the old one does not

  // Only the operator's four actions reached the audit log; refused requests left nothing.
  EXPECT_EQ(audit_rows(), audited + 4);
}

TEST_F(MerchantApiTest, SecretsAreShownOnceAndNeverStoredInClear) {
  json created = onboard("onboard-1");
  json replay = onboard("onboard-1");  // the operator's retry: same merchant, no secrets
  EXPECT_EQ(replay["merchant"]["merchant_id"], created["merchant"]["merchant_id"]);
  EXPECT_TRUE(replay["api_key"]["secret"].is_null());
  EXPECT_TRUE(replay["webhook_secret"].is_null());
  std::string merchant_id = created["merchant"]["merchant_id"];
  testing::HttpClient client("127.0.0.1", port());
  HttpReply rotated = client.request(verb::post, "/v1/admin/merchants/" + merchant_id + "/webhook-secret", "",
                                     {{"Authorization", "Bearer " + server_->operator_token()}, {"Idempotency-Key", "rotate-1"}});
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  std::string webhook_secret = json::parse(rotated.body)["webhook_secret"];

  std::string stored = stored_bytes();
  ASSERT_NE(stored.find("Noodle Bar"), std::string::npos);
  for (std::string secret : {created["api_key"]["secret"].get<std::string>(), created["webhook_secret"].get<std::string>(),
                             webhook_secret, std::string("6222020200112233445")}) {
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret.substr(0, 6) << "... is in mpay.db";
  }
}

TEST_F(MerchantApiTest, ARestartRefusesWhatWasSignedBeforeIt) {
  json created = onboard();
  MerchantClient merchant = merchant_client(created);
  std::string timestamp = std::to_string(testing::unix_now_s());
  ASSERT_EQ(merchant.send(SignedCall().with_timestamp(timestamp).with_nonce("before-restart")).status, 200u);
  // No pause: the restart often lands in the second the request was signed in, which must be
  // refused too.
  ASSERT_EQ(stop(), 0);
  start("5");
  MerchantClient after(port(), created["api_key"]["key_id"], created["api_key"]["secret"]);
  // The captured request, sent again after the restart (its nonce is no longer in memory):
  EXPECT_EQ(error_code_of(after.send(SignedCall().with_timestamp(timestamp).with_nonce("before-restart"))), "timestamp_before_start");
  EXPECT_EQ(after.send(SignedCall()).status, 200u);  // the key and its secret came back from mpay.db
}

}  // namespace
}  // namespace mpay
