// Operators and the data at rest, end to end: finding users (masked), freezing and unfreezing
// with every call audited, and no personal data in clear in mpay.db.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::error_code_of;
using testing::HttpReply;

class WalletAdminTest : public testing::WalletServerTest {
 protected:
  // Rows of the audit log as "actor action target", oldest first (read-only, beside the server).
  std::vector<std::string> audit_rows() {
    sqlite3* db = nullptr;
    std::vector<std::string> rows;
    EXPECT_EQ(sqlite3_open_v2((data() + "/mpay.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT actor || ' ' || action || ' ' || target || ' ' || remote_address FROM audit_log ORDER BY seq",
                       -1, &statement, nullptr);
    while (sqlite3_step(statement) == SQLITE_ROW) {
      rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
  }
};

TEST_F(WalletAdminTest, FindFreezeUnfreezeAllAudited) {
  auto alice = app(41);
  auto bob = app(42);
  alice->open_funded(41, "100.00");
  bob->sign_up_and_log_in();

  HttpReply found = operator_call(verb::get, "/v1/admin/users?phone=%2B8613900000041");
  ASSERT_EQ(found.status, 200u) << found.body;
  json items = json::parse(found.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["user_id"], alice->user_id());
  EXPECT_EQ(items[0]["phone"], "+86 139****0041");
  EXPECT_EQ(items[0]["name"], "张*");
  EXPECT_EQ(found.body.find("13900000041"), std::string::npos);
  EXPECT_EQ(json::parse(operator_call(verb::get, "/v1/admin/users?phone=13900000099").body)["items"].size(), 0u);

  HttpReply frozen = operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/freeze", {{"reason", "fraud report 17"}});
  ASSERT_EQ(frozen.status, 200u) << frozen.body;
  EXPECT_EQ(json::parse(frozen.body)["status"], "frozen");
  EXPECT_EQ(error_code_of(operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/freeze")), "already_frozen");
  HttpReply refused = alice->transfer(bob->phone(), "1.00");
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(error_code_of(refused), "account_frozen");
  // Nor can anyone pay into a frozen wallet... once Bob has money and Alice is frozen:
  operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/unfreeze");
  ASSERT_EQ(alice->transfer(bob->phone(), "10.00").status, 201u);
  operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/freeze");
  EXPECT_EQ(error_code_of(bob->transfer(alice->phone(), "1.00")), "recipient_frozen");
  ASSERT_EQ(operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/unfreeze").status, 200u);
  EXPECT_EQ(bob->transfer(alice->phone(), "1.00").status, 201u);
  EXPECT_EQ(error_code_of(operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/unfreeze")), "not_frozen");
  EXPECT_EQ(operator_call(verb::post, "/v1/admin/users/00000000-0000-7000-8000-000000000000/freeze").status, 404u);
  EXPECT_EQ(operator_call(verb::post, "/v1/admin/users/not-a-uuid/freeze").status, 400u);

  std::vector<std::string> rows = audit_rows();
  ASSERT_EQ(rows.size(), 9u);  // two searches, six freezes and unfreezes, one unknown user
  EXPECT_EQ(rows[0], "operator user.search phone 127.0.0.1");
  EXPECT_EQ(rows[2], "operator user.freeze user:" + alice->user_id() + " 127.0.0.1");
  EXPECT_EQ(rows[5], "operator user.freeze user:" + alice->user_id() + " 127.0.0.1");
}

TEST_F(WalletAdminTest, OperatorRoutesNeedTheOperatorToken) {
  auto alice = app(43);
  alice->sign_up_and_log_in();
  // A user's session is not an operator's.
  HttpReply reply = alice->get("/v1/admin/users?phone=13900000043");
  EXPECT_EQ(reply.status, 401u);
  testing::HttpClient anonymous("127.0.0.1", port());
  EXPECT_EQ(anonymous.request(verb::post, "/v1/admin/users/" + alice->user_id() + "/freeze", "{}").status, 401u);
  EXPECT_TRUE(audit_rows().empty());
}

TEST_F(WalletAdminTest, NoPersonalDataInClearAtRest) {
  auto alice = app(44);
  alice->sign_up_and_log_in();
  alice->verify_identity(44, "欧阳娜娜");
  ASSERT_EQ(stop(), 0);
  for (const char* file : {"/mpay.db", "/mpay.db-wal"}) {
    std::ifstream in(data() + file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string content = bytes.str();
    EXPECT_EQ(content.find("13900000044"), std::string::npos) << file;
    EXPECT_EQ(content.find("欧阳娜娜"), std::string::npos) << file;
    EXPECT_EQ(content.find(testing::test_id_card(44)), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace mpay
