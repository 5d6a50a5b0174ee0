// Sign-up, sessions, one-time codes and the PIN, end to end against a running mpayd.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::error_code_of;
using testing::HttpReply;
using testing::kTestPin;

class WalletAccessTest : public testing::WalletServerTest {};

TEST_F(WalletAccessTest, SignUpLogInAndSeeTheMaskedProfile) {
  auto alice = app(1);
  alice->sign_up_and_log_in();
  HttpReply me = alice->get("/v1/me");
  ASSERT_EQ(me.status, 200u) << me.body;
  json profile = json::parse(me.body);
  EXPECT_EQ(profile["user_id"], alice->user_id());
  EXPECT_EQ(profile["phone"], "+86 139****0001");
  EXPECT_EQ(profile["kyc_level"], 0);
  EXPECT_EQ(profile["currency"], "CNY");
  EXPECT_EQ(profile["limits"]["per_payment"], "500.00");
  EXPECT_EQ(profile["used"]["today"], "0.00");
  EXPECT_TRUE(profile["name"].is_null());
  EXPECT_EQ(me.body.find("13900000001"), std::string::npos) << "the full number leaked";

  json wallet = alice->wallet();
  EXPECT_EQ(wallet["available"], "0.00");
  EXPECT_EQ(wallet["currency"], "CNY");
}

TEST_F(WalletAccessTest, TheCodeIsOneUseAndRefusesWrongGuesses) {
  auto bob = app(2);
  std::string code = bob->request_code();
  ASSERT_EQ(code.size(), 6u);
  std::string wrong = code == "000000" ? "000001" : "000000";
  HttpReply reply = bob->post("/v1/users", {{"phone", bob->phone()}, {"otp", wrong}, {"pin", kTestPin}});
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(error_code_of(reply), "otp_incorrect");
  reply = bob->post("/v1/users", {{"phone", bob->phone()}, {"otp", code}, {"pin", kTestPin}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
  reply = bob->post("/v1/users", {{"phone", bob->phone()}, {"otp", code}, {"pin", kTestPin}});
  EXPECT_EQ(error_code_of(reply), "phone_registered");
}

TEST_F(WalletAccessTest, FiveWrongCodesKillTheCode) {
  auto carol = app(3);
  std::string code = carol->request_code();
  std::string wrong = code == "111111" ? "222222" : "111111";
  for (int i = 0; i < 5; ++i) {
    HttpReply reply = carol->post("/v1/users", {{"phone", carol->phone()}, {"otp", wrong}, {"pin", kTestPin}});
    EXPECT_EQ(error_code_of(reply), "otp_incorrect");
  }
  HttpReply reply = carol->post("/v1/users", {{"phone", carol->phone()}, {"otp", code}, {"pin", kTestPin}});
  EXPECT_EQ(error_code_of(reply), "otp_attempts_exceeded");
}

TEST_F(WalletAccessTest, CodesAreRateLimitedPerPhone) {
  auto dave = app(4);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(dave->post("/v1/auth/otp", {{"phone", dave->phone()}}).status, 202u);
  HttpReply reply = dave->post("/v1/auth/otp", {{"phone", dave->phone()}});
  EXPECT_EQ(reply.status, 429u);
  EXPECT_EQ(error_code_of(reply), "otp_rate_limited");
}

TEST_F(WalletAccessTest, BadSignUpInputGetsPreciseErrors) {
  auto erin = app(5);
  std::string code = erin->request_code();
  struct Case {
    std::string body;
    std::string code;
    std::string field;
    unsigned status = 400;
  };
  std::vector<Case> cases = {
      {"{", "json_invalid", ""},
      {"[]", "json_not_object", ""},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":"135790","pin":"135790"})",
       "json_duplicate_key", "pin"},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":135790})", "json_wrong_type", "pin"},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":"135790","admin":true})",
       "json_unknown_field", "admin"},
      {R"({"otp":")" + code + R"(","pin":"135790"})", "json_missing_field", "phone"},
      {R"({"phone":"+861390000","otp":")" + code + R"(","pin":"135790"})", "phone_too_short", "phone"},
      {R"({"phone":"+861065529988","otp":")" + code + R"(","pin":"135790"})", "phone_not_mobile", "phone"},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":"123456"})", "pin_too_simple", "pin", 422},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":"111111"})", "pin_too_simple", "pin", 422},
      {R"({"phone":"+8613900000005","otp":")" + code + R"(","pin":"12345"})", "pin_format", "pin"},
      {R"({"phone":"+8613900000005","otp":"12a456","pin":"135790"})", "otp_format", "otp"},
  };
  testing::HttpClient client("127.0.0.1", port());
  for (const Case& c : cases) {
    HttpReply reply = client.request(verb::post, "/v1/users", c.body);
    EXPECT_EQ(reply.status, c.status) << c.body << " -> " << reply.body;
    json error = json::parse(reply.body)["error"];
    EXPECT_EQ(error["code"], c.code) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(error["field"], c.field) << c.body;
    }
  }
  // Nothing above used the code up: it still signs up.
  HttpReply reply = erin->post("/v1/users", {{"phone", erin->phone()}, {"otp", code}, {"pin", kTestPin}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
}

TEST_F(WalletAccessTest, ANewDeviceNeedsACode) {
  auto frank = app(6);
  frank->sign_up_and_log_in();
  HttpReply reply = frank->post("/v1/sessions", {{"phone", frank->phone()}, {"pin", kTestPin}, {"device_id", "other"}});
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(error_code_of(reply), "otp_required");
  std::string code = frank->request_code();
  reply = frank->post("/v1/sessions", {{"phone", frank->phone()}, {"pin", kTestPin}, {"device_id", "other"}, {"otp", code}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
  // Known now.
  reply = frank->post("/v1/sessions", {{"phone", frank->phone()}, {"pin", kTestPin}, {"device_id", "other"}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
}

TEST_F(WalletAccessTest, UnknownUsersAndBadTokens) {
  auto ghost = app(7);
  HttpReply reply = ghost->post("/v1/sessions", {{"phone", ghost->phone()}, {"pin", kTestPin}});
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(error_code_of(reply), "user_not_found");
  ghost->set_token("not-a-token");
  reply = ghost->get("/v1/me");
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(error_code_of(reply), "session_invalid");
  testing::HttpClient anonymous("127.0.0.1", port());
  reply = anonymous.request(verb::get, "/v1/me/wallet");
  EXPECT_EQ(reply.status, 401u);
}

TEST_F(WalletAccessTest, LogoutEndsTheSession) {
  auto gina = app(8);
  gina->sign_up_and_log_in();
  EXPECT_EQ(gina->get("/v1/me").status, 200u);
  EXPECT_EQ(gina->call(verb::delete_, "/v1/sessions/current").status, 204u);
  HttpReply reply = gina->get("/v1/me");
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(error_code_of(reply), "session_invalid");
}

TEST_F(WalletAccessTest, FiveWrongPinsLockAndAResetUnlocks) {
  auto hank = app(9);
  hank->sign_up_and_log_in();
  for (int i = 0; i < 4; ++i) {
    HttpReply reply = hank->post("/v1/sessions", {{"phone", hank->phone()}, {"pin", "246813"}, {"device_id", "test-device"}});
    EXPECT_EQ(reply.status, 403u);
    EXPECT_EQ(error_code_of(reply), "pin_incorrect");
  }
  HttpReply reply = hank->post("/v1/sessions", {{"phone", hank->phone()}, {"pin", "246813"}, {"device_id", "test-device"}});
  EXPECT_EQ(reply.status, 423u);
  EXPECT_EQ(error_code_of(reply), "pin_locked");
  // Locked: even the right PIN is refused now.
  reply = hank->post("/v1/sessions", {{"phone", hank->phone()}, {"pin", kTestPin}, {"device_id", "test-device"}});
  EXPECT_EQ(error_code_of(reply), "pin_locked");

  std::string code = hank->request_code();
  reply = hank->post("/v1/auth/pin-reset", {{"phone", hank->phone()}, {"otp", code}, {"new_pin", "975318"}});
  EXPECT_EQ(reply.status, 204u) << reply.body;
  // The reset ended the old session and lifted the lock.
  EXPECT_EQ(hank->get("/v1/me").status, 401u);
  reply = hank->post("/v1/sessions", {{"phone", hank->phone()}, {"pin", "975318"}, {"device_id", "test-device"}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
}

TEST_F(WalletAccessTest, ChangeThePin) {
  auto ivy = app(10);
  ivy->sign_up_and_log_in();
  HttpReply reply = ivy->post("/v1/me/pin", {{"pin", "000000"}, {"new_pin", "975318"}});
  EXPECT_EQ(error_code_of(reply), "pin_incorrect");
  reply = ivy->post("/v1/me/pin", {{"pin", kTestPin}, {"new_pin", "654321"}});
  EXPECT_EQ(error_code_of(reply), "pin_too_simple");
  // After KYC the birth date is known (1990-01-01): PINs spelling it are refused.
  ivy->verify_identity(10);
  reply = ivy->post("/v1/me/pin", {{"pin", kTestPin}, {"new_pin", "900101"}});
  EXPECT_EQ(reply.status, 422u);
  EXPECT_EQ(error_code_of(reply), "pin_matches_birth_date");
  reply = ivy->post("/v1/me/pin", {{"pin", kTestPin}, {"new_pin", "975318"}});
  EXPECT_EQ(reply.status, 204u) << reply.body;
  reply = ivy->post("/v1/sessions", {{"phone", ivy->phone()}, {"pin", "975318"}, {"device_id", "test-device"}});
  EXPECT_EQ(reply.status, 201u) << reply.body;
}

TEST_F(WalletAccessTest, SessionsSurviveARestart) {
  auto jack = app(11);
  jack->sign_up_and_log_in();
  std::string token = jack->token();
  ASSERT_EQ(stop(), 0);
  start();
  auto again = app(11);
  again->set_token(token);
  HttpReply reply = again->get("/v1/me");
  EXPECT_EQ(reply.status, 200u) << reply.body;
}

TEST_F(WalletAccessTest, LimitsComeFromTheConfigFileAndFlagsWin) {
  ASSERT_EQ(stop(), 0);
  std::string config = directory_.path() + "/mpayd.toml";
  std::ofstream(config) << "[wallet]\notp_per_address_per_hour = 1\n"
                           "[wallet.limits.level0]\nper_payment = \"1.23\"\n";
  start("5", {"--config", config, "--otp-per-address-per-hour", "50"});
  auto lily = app(13);
  lily->sign_up_and_log_in();
  json profile = json::parse(lily->get("/v1/me").body);
  EXPECT_EQ(profile["limits"]["per_payment"], "1.23");
  // The file said 1 code per address and hour; the flag said 50.
  EXPECT_EQ(lily->post("/v1/auth/otp", {{"phone", phone(14)}}).status, 202u);
}

TEST_F(WalletAccessTest, PinsAndPersonalDataOutliveAKeyRotation) {
  auto kim = app(12);
  kim->sign_up_and_log_in();
  kim->verify_identity(12, "金智秀");
  ASSERT_EQ(stop(), 0);
  for (const char* purpose : {"pin", "pii"}) {
    std::string command = std::string(MPAY_CLI_BINARY) + " keys rotate --data " + data() + " --purpose " + purpose;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  start();
  auto again = app(12);
  again->log_in();  // the PIN hashed under the old key still matches (and is re-hashed)
  json profile = json::parse(again->get("/v1/me").body);
  EXPECT_EQ(profile["name"], "金**");  // sealed under the old key, still opens
  ASSERT_EQ(stop(), 0);
  start();
  auto third = app(12);
  third->log_in();
  EXPECT_EQ(third->post("/v1/sessions", {{"phone", third->phone()}, {"pin", "975318"}, {"device_id", "test-device"}}).status,
            403u);
}

}  // namespace
}  // namespace mpay
