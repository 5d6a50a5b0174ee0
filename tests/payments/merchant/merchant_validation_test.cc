// Onboarding input rules: MCC blocks, ISO 3166 countries, webhook URLs, names, fees, currencies,
// the settlement account; each failure names its field.
#include <gtest/gtest.h>

#include "payments/merchant/country_codes.h"
#include "payments/merchant/credentials.h"
#include "payments/merchant/merchant_application.h"
#include "payments/merchant/merchant_category.h"
#include "payments/merchant/webhook_url.h"

namespace mpay::merchant {
namespace {

TEST(MerchantCategory, FourDigitsInAnAssignedBlock) {
  EXPECT_EQ(mcc_category("5814"), "miscellaneous stores");
  EXPECT_EQ(mcc_category("3000"), "airlines");
  EXPECT_EQ(mcc_category("0742"), "agricultural services");
  EXPECT_EQ(mcc_category("9999"), "government services");
  for (const char* bad : {"0000", "0741", "1000", "2900", "581", "58140", "58a4", "", " 581", "-581"}) {
    EXPECT_FALSE(mcc_category(bad).has_value()) << bad;
  }
}

TEST(CountryCodes, AssignedAlpha2InUpperCaseOnly) {
  for (const char* good : {"CN", "KE", "US", "AD", "ZW", "GB"}) EXPECT_TRUE(is_iso3166_alpha2(good)) << good;
  for (const char* bad : {"cn", "XX", "UK", "EU", "C", "CHN", "", "ZZ", "AA"}) EXPECT_FALSE(is_iso3166_alpha2(bad)) << bad;
}

TEST(WebhookUrl, HttpOrHttpsWithAHostAndNothingSurprising) {
  for (const char* good : {"https://shop.example.com/mpay/webhooks", "https://shop.example.com",
                           "http://127.0.0.1:9000/hook", "https://a.example:8443/x?y=1", "https://h/?q=1"}) {
    EXPECT_TRUE(validate_webhook_url(good).ok()) << good;
  }
  for (const char* bad : {"ftp://x.example/", "HTTPS://x.example/", "https://", "https://:80/",
                          "https://user:pw@x.example/", "https://x.example/#frag", "https://x.example/a b",
                          "https://x.example:0/", "https://x.example:70000/", "https://x.example:8a/",
                          "https://x..example/", "https://-x.example/", "https://x.example?y=1", "x.example"}) {
    Status status = validate_webhook_url(bad);
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.error().code, "webhook_url_invalid");
    EXPECT_EQ(status.error().field, "webhook_url");
  }
  EXPECT_FALSE(validate_webhook_url("https://x.example/" + std::string(kWebhookUrlCharsMax, 'a')).ok());
}

MerchantApplication valid_application() {
  MerchantApplication application;
  application.legal_name = "Shanghai Noodle Co., Ltd.";
  application.display_name = "Noodle Bar";
  application.mcc = "5814";
  application.country = "CN";
  application.city = "Shanghai";
  application.fee_bps = 120;
  application.settlement_account = {"ICBC", "6222020200112233445", "Shanghai Noodle Co"};
  application.webhook_url = "https://noodle.example.com/mpay/webhooks";
  return application;
}

const Currency kCny = *currency_by_code("CNY");

std::string field_of(const MerchantApplication& application) {
  Result<std::vector<Currency>> result = validate_application(application, kCny);
  return result.ok() ? "ok" : result.error().code + " " + result.error().field;
}

TEST(MerchantApplication, AValidApplicationGetsTheServerCurrency) {
  Result<std::vector<Currency>> currencies = validate_application(valid_application(), kCny);
  ASSERT_TRUE(currencies.ok()) << currencies.error().message;
  ASSERT_EQ(currencies->size(), 1u);
  EXPECT_EQ(currencies->front(), kCny);
}

// A name that reads differently from what it is: "Shop" + U+202E RIGHT-TO-LEFT OVERRIDE + "lave"
// shows as "Shopeval" in an SMS or the console; the isolates, marks and invisible characters do
// the same more quietly.
TEST(MerchantApplication, NamesRefuseBidiControlsAndInvisibleFormatCharacters) {
  auto with = [](auto change) {
    MerchantApplication application = valid_application();
    change(application);
    return field_of(application);
  };
  for (const char* control :
       {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200E", "\u200F", "\u061C", "\u2028", "\u200B", "\uFEFF", "\xC2\x85"}) {
    std::string name = std::string("Shop") + control + "lave";
    EXPECT_EQ(with([&](auto& a) { a.display_name = name; }), "name_invalid display_name") << name;
    EXPECT_EQ(with([&](auto& a) { a.legal_name = name; }), "name_invalid legal_name") << name;
    EXPECT_EQ(with([&](auto& a) { a.city = name; }), "name_invalid city") << name;
  }
  // Right-to-left names themselves are fine, and so are the joiners scripts need.
  EXPECT_EQ(with([](auto& a) { a.display_name = "مطعم الشام"; }), "ok");
  EXPECT_EQ(with([](auto& a) { a.display_name = "\u0645\u200C\u06CC"; }), "ok");
}

TEST(MerchantApplication, EachRuleNamesItsField) {
  auto with = [](auto change) {
    MerchantApplication application = valid_application();
    change(application);
    return field_of(application);
  };
  EXPECT_EQ(with([](auto& a) { a.legal_name = "  "; }), "name_invalid legal_name");
  EXPECT_EQ(with([](auto& a) { a.display_name = std::string(65, 'x'); }), "name_invalid display_name");
  EXPECT_EQ(with([](auto& a) { a.display_name = "面馆"; }), "ok");  // code points, not bytes
  EXPECT_EQ(with([](auto& a) { a.city = "Shang\thai"; }), "name_invalid city");
  EXPECT_EQ(with([](auto& a) { a.mcc = "0000"; }), "mcc_invalid mcc");
  EXPECT_EQ(with([](auto& a) { a.country = "cn"; }), "country_invalid country");
  EXPECT_EQ(with([](auto& a) { a.fee_bps = -1; }), "fee_bps_invalid fee_bps");
  EXPECT_EQ(with([](auto& a) { a.fee_bps = 10001; }), "fee_bps_invalid fee_bps");
  EXPECT_EQ(with([](auto& a) { a.fee_bps = 10000; }), "ok");
  EXPECT_EQ(with([](auto& a) { a.currencies = {"USD"}; }), "currency_missing currencies");
  EXPECT_EQ(with([](auto& a) { a.currencies = {"CNY", "XYZ"}; }), "currency_invalid currencies");
  EXPECT_EQ(with([](auto& a) { a.currencies = {"CNY", "CNY"}; }), "currency_duplicate currencies");
  EXPECT_EQ(with([](auto& a) { a.currencies = {"USD", "CNY"}; }), "ok");
  EXPECT_EQ(with([](auto& a) { a.settlement_account.account_number = "12"; }),
            "bank_account_invalid settlement_account.account_number");
  EXPECT_EQ(with([](auto& a) { a.settlement_account.bank_code = "?"; }),
            "bank_account_invalid settlement_account.bank_code");
  EXPECT_EQ(with([](auto& a) { a.webhook_url = "ftp://x"; }), "webhook_url_invalid webhook_url");
}

TEST(Credentials, ShapesAndFreshness) {
  SystemRandom random;
  std::string key_id = new_key_id(random);
  EXPECT_TRUE(is_key_id(key_id)) << key_id;
  EXPECT_NE(key_id, new_key_id(random));
  EXPECT_EQ(new_key_secret(random).size(), 4u + 64u);
  EXPECT_TRUE(new_webhook_secret(random).starts_with("whsec_"));
  EXPECT_FALSE(is_key_id("mk_ABCDEF0123456789abcdef01"));
  EXPECT_FALSE(is_key_id("msk_0123456789abcdef01234567"));
}

}  // namespace
}  // namespace mpay::merchant
