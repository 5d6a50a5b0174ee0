#include "server/wallet_config_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_directory.h"

namespace mpay::server {
namespace {

class WalletConfigFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    std::string path = directory_.path() + "/mpayd.toml";
    std::ofstream(path) << text;
    return path;
  }
  testing::TempDirectory directory_;
  wallet::WalletOptions options_;
};

TEST_F(WalletConfigFileTest, SetsWhatItNamesAndKeepsTheRest) {
  Status loaded = load_wallet_config(write(R"(
[wallet]
otp_per_address_per_hour = 100
pin_lock_minutes = 60

[wallet.limits.level1]
per_payment = "2000.50"
balance_cap = "80000"
)"),
                                     options_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(options_.otp_per_address_per_hour, 100);
  EXPECT_EQ(options_.pin_lock_ns, 60LL * 60 * 1'000'000'000);
  EXPECT_EQ(options_.limits[1].per_payment_minor, 200'050);
  EXPECT_EQ(options_.limits[1].balance_cap_minor, 8'000'000);
  wallet::WalletOptions defaults;
  EXPECT_EQ(options_.limits[1].per_day_minor, defaults.limits[1].per_day_minor);
  EXPECT_EQ(options_.limits[0].per_payment_minor, defaults.limits[0].per_payment_minor);
  EXPECT_EQ(options_.otp_per_phone_per_hour, defaults.otp_per_phone_per_hour);
}

TEST_F(WalletConfigFileTest, AmountsFollowTheConfiguredCurrency) {
  Status loaded = load_wallet_config(write(R"(
[wallet]
currency = "JPY"
[wallet.limits.level0]
per_payment = "5000"
)"),
                                     options_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(options_.currency, "JPY");
  EXPECT_EQ(options_.limits[0].per_payment_minor, 5000);
  Status refused = load_wallet_config(write("[wallet]\ncurrency = \"JPY\"\n[wallet.limits.level0]\nper_day = \"1.5\"\n"), options_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config_amount_invalid");
  EXPECT_EQ(refused.error().field, "wallet.limits.level0.per_day");
}

TEST_F(WalletConfigFileTest, EveryMistakeNamesItsKey) {
  struct Case {
    const char* text;
    const char* code;
    const char* field;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"[wallet]\npin_atempts_max = 3\n", "config_unknown_key", "wallet.pin_atempts_max"},
           {"[walet]\n", "config_unknown_key", "walet"},
           {"[wallet]\npin_attempts_max = \"3\"\n", "config_wrong_type", "wallet.pin_attempts_max"},
           {"[wallet]\npin_attempts_max = 0\n", "config_out_of_range", "wallet.pin_attempts_max"},
           {"[wallet]\ncurrency = \"XXY\"\n", "config_out_of_range", "wallet.currency"},
           {"[wallet.limits.level3]\nper_day = \"1\"\n", "config_unknown_key", "wallet.limits.level3"},
           {"[wallet.limits.level2]\nper_day = 100\n", "config_wrong_type", "wallet.limits.level2.per_day"},
           {"[wallet.limits.level2]\nper_day = \"-1\"\n", "config_amount_invalid", "wallet.limits.level2.per_day"},
       }) {
    wallet::WalletOptions options;
    Status loaded = load_wallet_config(write(c.text), options);
    ASSERT_FALSE(loaded.ok()) << c.text;
    EXPECT_EQ(loaded.error().code, c.code) << c.text;
    EXPECT_EQ(loaded.error().field, c.field) << c.text;
  }
}

TEST_F(WalletConfigFileTest, SyntaxErrorsAndMissingFiles) {
  Status broken = load_wallet_config(write("[wallet\n"), options_);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "config_invalid");
  EXPECT_NE(broken.error().message.find(":1:"), std::string::npos) << broken.error().message;
  Status missing = load_wallet_config(directory_.path() + "/none.toml", options_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "config_unreadable");
}

}  // namespace
}  // namespace mpay::server
