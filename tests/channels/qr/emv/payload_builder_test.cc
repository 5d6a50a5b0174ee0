#include <gtest/gtest.h>

#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;

MerchantPresentedPayload full_model() {
  MerchantPresentedPayload p;
  p.point_of_initiation = InitiationMethod::dynamic_code;
  p.merchant_accounts.push_back({"02", "4000123412341234", {}});
  p.merchant_accounts.push_back({"26", "", {{"00", "com.mpay"}, {"01", "0123456789abcdef0123456789abcdef"}, {"02", "Tok3n"}}});
  p.merchant_category_code = "5812";
  p.transaction_currency = *currency_by_code("CNY");
  p.transaction_amount = "25.00";
  p.tip_or_convenience = TipOrConvenience::percentage_fee;
  p.convenience_fee_percentage = "3.5";
  p.country_code = "CN";
  p.merchant_name = "NOODLE HOUSE";
  p.merchant_city = "SHANGHAI";
  p.postal_code = "200000";
  AdditionalData data;
  data.bill_number = "INV-42";
  data.mobile_number = "***";
  data.store_label = "S1";
  data.loyalty_number = "L9";
  data.reference_label = "R7";
  data.customer_label = "C1";
  data.terminal_label = "T2";
  data.purpose_of_transaction = "lunch";
  data.additional_consumer_data_request = "AME";
  data.other_data_objects = {{"50", "0004abcd"}, {"10", "rfu"}};
  p.additional_data = data;
  p.language_template = MerchantInformationLanguage{"ZH", "面馆", "上海", {{"03", "x"}}};
  p.other_data_objects = {{"91", "0004test"}, {"70", "rfu"}, {"80", "0002ok"}};
  return p;
}

TEST(PayloadBuilder, RoundTripsEveryField) {
  MerchantPresentedPayload model = full_model();
  auto built = build_payload(model);
  ASSERT_TRUE(built.ok()) << built.error().code << " " << built.error().field;
  EXPECT_EQ(built->substr(0, 12), "000201010212");
  EXPECT_EQ(built->substr(built->size() - 8, 4), "6304");
  auto parsed = parse_payload(*built);
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  EXPECT_EQ(*parsed, model);
  // Preserved objects come back in the order given, after 64 and before 63.
  EXPECT_LT(built->find("91080004test"), built->find("7003rfu"));
  EXPECT_LT(built->find("7003rfu"), built->find("80060002ok"));
  EXPECT_LT(built->find("6423"), built->find("91080004test"));
}

TEST(PayloadBuilder, WritesLengthsInCharactersAndTheRightCrc) {
  MerchantPresentedPayload model = full_model();
  model.other_data_objects.clear();
  model.additional_data.reset();
  model.tip_or_convenience.reset();
  model.convenience_fee_percentage.reset();
  model.postal_code.reset();
  model.language_template = MerchantInformationLanguage{"ZH", "面馆", std::nullopt, {}};
  auto built = build_payload(model);
  ASSERT_TRUE(built.ok());
  EXPECT_NE(built->find("64120002ZH0102面馆"), std::string::npos) << *built;
  std::string body = built->substr(0, built->size() - 4);
  EXPECT_EQ(built->substr(built->size() - 4), crc_text(crc16_ccitt_false(body)));
  EXPECT_EQ(*built,
            "000201010212""02164000123412341234""2657""0008com.mpay""0132""0123456789abcdef0123456789abcdef""0205Tok3n"
            "52045812""5303156""540525.00""5802CN""5912NOODLE HOUSE""6008SHANGHAI""64120002ZH0102面馆" "6304" +
                built->substr(built->size() - 4));
}

TEST(PayloadBuilder, ChecksTheSameRulesAsTheParser) {
  MerchantPresentedPayload model = full_model();
  model.merchant_name = std::string(26, 'N');
  expect_error(build_payload(model), "qr_field_length_invalid", "59");
  model = full_model();
  model.merchant_city.clear();
  expect_error(build_payload(model), "qr_field_missing", "60");
  model = full_model();
  model.transaction_currency = Currency{};
  expect_error(build_payload(model), "qr_currency_unknown", "53");
  model = full_model();
  model.transaction_amount = "1.234";
  expect_error(build_payload(model), "qr_amount_invalid", "54");
  model = full_model();
  model.merchant_accounts.clear();
  expect_error(build_payload(model), "qr_merchant_account_missing", "");
  model = full_model();
  model.merchant_accounts.push_back({"55", "x", {}});
  expect_error(build_payload(model), "qr_id_invalid", "55");
  model = full_model();
  model.merchant_accounts.push_back({"02", "x", {}});
  expect_error(build_payload(model), "qr_duplicate_id", "02");
  model = full_model();
  model.other_data_objects.push_back({"05", "x"});
  expect_error(build_payload(model), "qr_id_invalid", "05");
  model = full_model();
  model.other_data_objects.push_back({"91", "again"});
  expect_error(build_payload(model), "qr_duplicate_id", "91");
  model = full_model();
  model.convenience_fee_fixed = "1.00";
  expect_error(build_payload(model), "qr_convenience_fee_unexpected", "56");
  model = full_model();
  model.merchant_accounts[1].data_objects.erase(model.merchant_accounts[1].data_objects.begin());
  expect_error(build_payload(model), "qr_globally_unique_identifier_missing", "26.00");
}

TEST(PayloadBuilder, RefusesATemplateOver99Characters) {
  MerchantPresentedPayload model = full_model();
  model.merchant_accounts[1].data_objects.push_back({"03", std::string(60, 'x')});
  expect_error(build_payload(model), "qr_field_length_invalid", "26");
}

TEST(PayloadBuilder, RefusesMoreThan512Characters) {
  MerchantPresentedPayload model = full_model();
  for (int id = 81; id <= 84; ++id) model.other_data_objects.push_back({std::to_string(id), std::string(99, 'x')});
  expect_error(build_payload(model), "qr_payload_too_long", "");
}

}  // namespace
}  // namespace mpay::qr
