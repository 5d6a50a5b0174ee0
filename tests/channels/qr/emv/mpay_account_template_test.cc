#include <gtest/gtest.h>

#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;

constexpr std::string_view kMerchantId = "0123456789abcdef0123456789abcdef";

MerchantPresentedPayload payload_with(MerchantAccount account) {
  MerchantPresentedPayload p;
  p.point_of_initiation = InitiationMethod::static_code;
  p.merchant_accounts.push_back(std::move(account));
  p.merchant_category_code = "5812";
  p.transaction_currency = *currency_by_code("KES");
  p.country_code = "KE";
  p.merchant_name = "MAMA OLIECH";
  p.merchant_city = "NAIROBI";
  return p;
}

TEST(MpayAccountTemplate, BuildsAndReadsBackThroughAPayload) {
  MpayAccountTemplate account_template;
  EXPECT_EQ(account_template.globally_unique_identifier(), "com.mpay");
  auto account = account_template.build({std::string(kMerchantId), "AbC123"});
  ASSERT_TRUE(account.ok()) << account.error().code;
  EXPECT_EQ(account->id, "26");
  auto text = build_payload(payload_with(*account));
  ASSERT_TRUE(text.ok()) << text.error().code;
  EXPECT_NE(text->find("26580008com.mpay0132" + std::string(kMerchantId) + "0206AbC123"), std::string::npos) << *text;
  auto parsed = parse_payload(*text);
  ASSERT_TRUE(parsed.ok());
  auto reference = account_template.read(*parsed);
  ASSERT_TRUE(reference.ok()) << reference.error().code;
  EXPECT_EQ(reference->merchant_id, kMerchantId);
  EXPECT_EQ(reference->code_token, "AbC123");
}

TEST(MpayAccountTemplate, TokenIsOptionalAndIdentifierConfigurable) {
  MpayAccountTemplate account_template("com.example.pay");
  auto account = account_template.build({std::string(kMerchantId), std::nullopt});
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->data_objects.size(), 2u);
  auto reference = account_template.read(payload_with(*account));
  ASSERT_TRUE(reference.ok());
  EXPECT_FALSE(reference->code_token.has_value());
  expect_error(MpayAccountTemplate().read(payload_with(*account)), "qr_mpay_account_missing", "");
}

TEST(MpayAccountTemplate, RefusesBadMerchantIdsAndTokens) {
  MpayAccountTemplate account_template;
  expect_error(account_template.build({"0123456789ABCDEF0123456789ABCDEF", std::nullopt}), "qr_mpay_merchant_id_invalid", "26.01");
  expect_error(account_template.build({"0123", std::nullopt}), "qr_mpay_merchant_id_invalid", "26.01");
  expect_error(account_template.build({std::string(kMerchantId), ""}), "qr_mpay_code_token_invalid", "26.02");
  expect_error(account_template.build({std::string(kMerchantId), std::string(33, 'a')}), "qr_mpay_code_token_invalid", "26.02");
  expect_error(account_template.build({std::string(kMerchantId), "a-b"}), "qr_mpay_code_token_invalid", "26.02");
  // Reading checks the same shapes: a foreign payload with our identifier but a bad merchant id.
  MerchantAccount forged{"27", "", {{"00", "COM.MPAY"}, {"01", "not-hex"}}};
  expect_error(account_template.read(payload_with(forged)), "qr_mpay_merchant_id_invalid", "26.01");
}

}  // namespace
}  // namespace mpay::qr
