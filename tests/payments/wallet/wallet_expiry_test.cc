// What expires, with a clock the test turns: one-time codes (5 minutes), sessions (30 days) and
// the PIN lock (30 minutes). The wallet runs on its real parts (SQLite, the ledger, key files, the
// SMS outbox; support/wallet_stack.h); only time is simulated.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "payments/wallet/access.h"
#include "payments/wallet/otp.h"
#include "support/temp_directory.h"
#include "support/wallet_stack.h"

namespace mpay::wallet {
namespace {

constexpr int64_t kMinute = 60LL * 1'000'000'000;
constexpr const char* kPhone = "+8613900000077";
constexpr const char* kPin = "135790";

class WalletExpiryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(stack_.ok()) << stack_.error(); }

  WalletContext& context() { return stack_.wallet(); }

  std::string request_code() {
    Status sent = request_otp(context(), kPhone, "127.0.0.1");
    EXPECT_TRUE(sent.ok()) << sent.error().message;
    std::ifstream in(directory_.path() + "/sms-outbox.jsonl");
    std::string line, code;
    while (std::getline(in, line)) {
      std::smatch match;
      std::string text = nlohmann::json::parse(line)["text"];
      if (std::regex_search(text, match, std::regex("code (\\d{6})"))) code = match[1];
    }
    return code;
  }

  UserRecord sign_up_now() {
    Result<UserRecord> user = sign_up(context(), {kPhone, request_code(), kPin, "phone-1"});
    EXPECT_TRUE(user.ok()) << user.error().message;
    return *user;
  }

  Result<SessionGrant> log_in(const std::string& pin) { return open_session(context(), {kPhone, pin, "phone-1", {}}); }

  testing::TempDirectory directory_;
  ManualClock clock_{1'795'000'000LL * 1'000'000'000};
  SeededRandom random_{42};
  UuidV7Generator ids_{clock_, random_};
  testing::WalletStack stack_{directory_.path(), clock_, random_, ids_};
};

TEST_F(WalletExpiryTest, ACodeDiesAfterFiveMinutes) {
  std::string code = request_code();
  clock_.advance_ns(5 * kMinute);
  Result<UserRecord> late = sign_up(context(), {kPhone, code, kPin, {}});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "otp_expired");
  clock_.advance_ns(-1);  // one nanosecond earlier it would still have been good: ask again
  std::string fresh = request_code();
  clock_.advance_ns(5 * kMinute - 1);
  EXPECT_TRUE(sign_up(context(), {kPhone, fresh, kPin, {}}).ok());
}

TEST_F(WalletExpiryTest, ASessionEndsAfterThirtyDays) {
  sign_up_now();
  Result<SessionGrant> grant = log_in(kPin);
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  clock_.advance_ns(30LL * 24 * 60 * kMinute - 1);
  EXPECT_TRUE(authenticate(context(), grant->token).ok());
  clock_.advance_ns(1);
  Result<UserId> expired = authenticate(context(), grant->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "session_expired");
}

TEST_F(WalletExpiryTest, ThePinLockLiftsAfterThirtyMinutes) {
  sign_up_now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(log_in("975318").ok());
  clock_.advance_ns(30 * kMinute - 1);
  Result<SessionGrant> locked = log_in(kPin);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "pin_locked");
  clock_.advance_ns(1);
  EXPECT_TRUE(log_in(kPin).ok());
  // The count started over: four wrong PINs do not lock again.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(log_in("975318").error().code, "pin_incorrect");
  EXPECT_TRUE(log_in(kPin).ok());
}

}  // namespace
}  // namespace mpay::wallet
