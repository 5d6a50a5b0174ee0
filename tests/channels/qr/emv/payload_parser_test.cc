// Every rejection code of parse_payload, each with a hand-made malformed payload whose only fault
// is the one under test (the CRC is recomputed unless the CRC is what is tested).
#include <gtest/gtest.h>

#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;
using test::kAccount;
using test::kHead;
using test::kTail;
using test::valid_body;
using test::with_crc;

TEST(PayloadParser, AcceptsTheMinimalValidPayload) {
  auto parsed = parse_payload(with_crc(valid_body()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  EXPECT_EQ(parsed->point_of_initiation, InitiationMethod::static_code);
  ASSERT_EQ(parsed->merchant_accounts.size(), 1u);
  EXPECT_EQ(parsed->merchant_accounts[0].id, "02");
  EXPECT_EQ(parsed->merchant_accounts[0].value, "MERCHANT");
  EXPECT_EQ(parsed->merchant_category_code, "5812");
  EXPECT_EQ(parsed->transaction_currency.code, "CNY");
  EXPECT_EQ(parsed->country_code, "CN");
  EXPECT_EQ(parsed->merchant_name, "SHOP1");
  EXPECT_EQ(parsed->merchant_city, "BEIJING");
  EXPECT_FALSE(parsed->transaction_amount.has_value());
}

TEST(PayloadParser, DynamicWithoutAmountAndStaticWithAmountAreAllowed) {
  auto dynamic = parse_payload(with_crc("000201010212" + std::string(kAccount) + std::string(kTail)));
  ASSERT_TRUE(dynamic.ok()) << dynamic.error().code;
  EXPECT_EQ(dynamic->point_of_initiation, InitiationMethod::dynamic_code);
  auto static_with_amount = parse_payload(with_crc(valid_body() + "540525.00"));
  ASSERT_TRUE(static_with_amount.ok()) << static_with_amount.error().code;
  EXPECT_EQ(static_with_amount->transaction_amount, "25.00");
  auto no_initiation = parse_payload(with_crc("000201" + std::string(kAccount) + std::string(kTail)));
  ASSERT_TRUE(no_initiation.ok()) << no_initiation.error().code;
  EXPECT_FALSE(no_initiation->point_of_initiation.has_value());
}

TEST(PayloadParser, Empty) { expect_error(parse_payload(""), "qr_payload_empty", ""); }

TEST(PayloadParser, TooLong) {
  std::string body = valid_body();
  for (int i = 0; i < 5; ++i) body += "8" + std::to_string(i) + "99" + std::string(99, 'x');  // 5 x 103
  expect_error(parse_payload(with_crc(body)), "qr_payload_too_long", "");
  expect_error(parse_payload(std::string(5000, '0')), "qr_payload_too_long", "");
}

TEST(PayloadParser, InvalidUtf8) {
  expect_error(parse_payload(with_crc(std::string(kHead) + std::string(kAccount) + "520458125303156""5802CN""5905SHOP\xFF""6007BEIJING")),
               "qr_utf8_invalid", "");
}

TEST(PayloadParser, IdNotDigits) {
  expect_error(parse_payload(with_crc(valid_body() + "A102xx")), "qr_id_invalid", "");
}

TEST(PayloadParser, LengthNotDigits) {
  expect_error(parse_payload(with_crc(valid_body() + "61A1xx")), "qr_length_invalid", "61");
  expect_error(parse_payload(with_crc(valid_body() + "6100")), "qr_length_invalid", "61");
}

TEST(PayloadParser, Truncated) {
  expect_error(parse_payload("0002010102"), "qr_payload_truncated", "01");
  expect_error(parse_payload("00020"), "qr_payload_truncated", "00");
  expect_error(parse_payload("000"), "qr_payload_truncated", "");
  // The CRC object itself cut short.
  std::string whole = with_crc(valid_body());
  expect_error(parse_payload(whole.substr(0, whole.size() - 1)), "qr_payload_truncated", "63");
}

TEST(PayloadParser, TemplateTruncated) {
  expect_error(parse_payload(with_crc(valid_body() + "620501099")), "qr_template_truncated", "62.01");
}

TEST(PayloadParser, DuplicateIds) {
  expect_error(parse_payload(with_crc(valid_body() + "5905SHOP2")), "qr_duplicate_id", "59");
  expect_error(parse_payload(with_crc(valid_body() + "62120102AB0102CD")), "qr_duplicate_id", "62.01");
  expect_error(parse_payload(with_crc(valid_body() + "2620""0004com.0102ab0102cd")), "qr_duplicate_id", "26.01");
}

TEST(PayloadParser, CrcMissing) { expect_error(parse_payload(valid_body()), "qr_crc_missing", "63"); }

TEST(PayloadParser, CrcNotLast) {
  expect_error(parse_payload(with_crc(valid_body()) + "6105BJ001"), "qr_crc_not_last", "63");
}

TEST(PayloadParser, DataAfterCrc) {
  expect_error(parse_payload(with_crc(valid_body()) + "\n"), "qr_data_after_crc", "63");
}

TEST(PayloadParser, CrcFormat) {
  std::string good = with_crc(valid_body());
  std::string lower = good;
  for (size_t i = lower.size() - 4; i < lower.size(); ++i) lower[i] = static_cast<char>(std::tolower(lower[i]));
  if (lower != good) expect_error(parse_payload(lower), "qr_crc_format_invalid", "63");
  expect_error(parse_payload(valid_body() + "6304zzzz"), "qr_crc_format_invalid", "63");
  expect_error(parse_payload(valid_body() + "6303ABC"), "qr_field_length_invalid", "63");
}

TEST(PayloadParser, CrcMismatchSaysExpectedAndFound) {
  std::string good = with_crc(valid_body());
  std::string expected = good.substr(good.size() - 4);
  std::string found = expected == "0000" ? "0001" : "0000";
  auto parsed = parse_payload(valid_body() + "6304" + found);
  expect_error(parsed, "qr_crc_mismatch", "63");
  EXPECT_NE(parsed.error().message.find("expected " + expected), std::string::npos) << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("found " + found), std::string::npos) << parsed.error().message;
  // One changed character anywhere breaks the CRC.
  std::string damaged = good;
  damaged[damaged.find("SHOP1") + 4] = '2';
  expect_error(parse_payload(damaged), "qr_crc_mismatch", "63");
}

TEST(PayloadParser, FormatIndicator) {
  expect_error(parse_payload(with_crc("010211000201" + std::string(kAccount) + std::string(kTail))),
               "qr_format_indicator_not_first", "00");
  expect_error(parse_payload(with_crc("000202010211" + std::string(kAccount) + std::string(kTail))),
               "qr_format_indicator_invalid", "00");
  expect_error(parse_payload(with_crc("010211" + std::string(kAccount) + std::string(kTail))), "qr_field_missing", "00");
}

TEST(PayloadParser, PointOfInitiation) {
  expect_error(parse_payload(with_crc("000201010213" + std::string(kAccount) + std::string(kTail))),
               "qr_initiation_invalid", "01");
}

TEST(PayloadParser, MandatoryObjectsMissing) {
  std::string head = std::string(kHead) + std::string(kAccount);
  expect_error(parse_payload(with_crc(head + "5303156""5802CN""5905SHOP1""6007BEIJING")), "qr_field_missing", "52");
  expect_error(parse_payload(with_crc(head + "52045812""5802CN""5905SHOP1""6007BEIJING")), "qr_field_missing", "53");
  expect_error(parse_payload(with_crc(head + "52045812""5303156""5905SHOP1""6007BEIJING")), "qr_field_missing", "58");
  expect_error(parse_payload(with_crc(head + "52045812""5303156""5802CN""6007BEIJING")), "qr_field_missing", "59");
  expect_error(parse_payload(with_crc(head + "52045812""5303156""5802CN""5905SHOP1")), "qr_field_missing", "60");
  expect_error(parse_payload(with_crc(valid_body() + "64060002ZH")), "qr_field_missing", "64.01");
  expect_error(parse_payload(with_crc(valid_body() + "64060102名字")), "qr_field_missing", "64.00");
}

TEST(PayloadParser, MerchantAccountMissing) {
  expect_error(parse_payload(with_crc(std::string(kHead) + std::string(kTail))), "qr_merchant_account_missing", "");
}

TEST(PayloadParser, GloballyUniqueIdentifierMissing) {
  expect_error(parse_payload(with_crc(valid_body() + "26060102ab")), "qr_globally_unique_identifier_missing", "26.00");
}

TEST(PayloadParser, FieldLengthInvalid) {
  std::string head = std::string(kHead) + std::string(kAccount) + "520458125303156""5802CN";
  expect_error(parse_payload(with_crc(head + "5926" + std::string(26, 'N') + "6007BEIJING")),
               "qr_field_length_invalid", "59");
  expect_error(parse_payload(with_crc(head + "5905SHOP1""6016" + std::string(16, 'C'))), "qr_field_length_invalid", "60");
  expect_error(parse_payload(with_crc(valid_body() + "6111" + std::string(11, '1'))), "qr_field_length_invalid", "61");
  expect_error(parse_payload(with_crc(valid_body() + "5414" + std::string(14, '1'))), "qr_field_length_invalid", "54");
  expect_error(parse_payload(with_crc(valid_body() + "6230""0126" + std::string(26, 'B'))), "qr_field_length_invalid", "62.01");
  expect_error(parse_payload(with_crc(valid_body() + "2637""0033" + std::string(33, 'g'))), "qr_field_length_invalid", "26.00");
  expect_error(parse_payload(with_crc(valid_body() + "64070003ZHO")), "qr_field_length_invalid", "64.00");
}

TEST(PayloadParser, FieldCharactersInvalid) {
  std::string head = std::string(kHead) + std::string(kAccount);
  expect_error(parse_payload(with_crc(head + "5204581A""5303156""5802CN""5905SHOP1""6007BEIJING")),
               "qr_field_characters_invalid", "52");
  expect_error(parse_payload(with_crc(head + "52045812""5303156""5802cn""5905SHOP1""6007BEIJING")),
               "qr_field_characters_invalid", "58");
  // "ans" objects allow printable ASCII only; Chinese text belongs in 64.
  expect_error(parse_payload(with_crc(head + "52045812""5303156""5802CN""5902北京""6007BEIJING")),
               "qr_field_characters_invalid", "59");
  expect_error(parse_payload(with_crc(valid_body() + "62070903AMX")), "qr_field_characters_invalid", "62.09");
  expect_error(parse_payload(with_crc(valid_body() + "62070903AMA")), "qr_field_characters_invalid", "62.09");
  expect_error(parse_payload(with_crc(valid_body() + "6403530")), "qr_template_truncated", "64");
}

TEST(PayloadParser, IdNotAllowedWhereItStands) {
  expect_error(parse_payload(with_crc(valid_body() + "62060002xx")), "qr_id_invalid", "62.00");
}

TEST(PayloadParser, CurrencyUnknown) {
  std::string head = std::string(kHead) + std::string(kAccount) + "52045812";
  expect_error(parse_payload(with_crc(head + "5303999""5802CN""5905SHOP1""6007BEIJING")), "qr_currency_unknown", "53");
  expect_error(parse_payload(with_crc(head + "530215""5802CN""5905SHOP1""6007BEIJING")), "qr_field_length_invalid", "53");
}

TEST(PayloadParser, AmountInvalid) {
  for (std::string amount : {"-1.00", "+1.00", "1.234", "1..2", "1,00", ".50", "1e3", "12 3"}) {
    std::string object = "54" + std::string(amount.size() < 10 ? "0" : "") + std::to_string(amount.size()) + amount;
    expect_error(parse_payload(with_crc(valid_body() + object)), "qr_amount_invalid", "54");
  }
  // Accepted spellings: "98." (spec: the '.' may be there without decimals), "0.5", "007".
  for (std::string amount : {"98.", "0.5", "007", "1234567890.12"}) {
    std::string object = "54" + std::string(amount.size() < 10 ? "0" : "") + std::to_string(amount.size()) + amount;
    EXPECT_TRUE(parse_payload(with_crc(valid_body() + object)).ok()) << amount;
  }
}

TEST(PayloadParser, TipAndConvenienceFee) {
  expect_error(parse_payload(with_crc(valid_body() + "550204")), "qr_tip_indicator_invalid", "55");
  expect_error(parse_payload(with_crc(valid_body() + "550202")), "qr_convenience_fee_missing", "56");
  expect_error(parse_payload(with_crc(valid_body() + "550203")), "qr_convenience_fee_missing", "57");
  expect_error(parse_payload(with_crc(valid_body() + "56031.0")), "qr_convenience_fee_unexpected", "56");
  expect_error(parse_payload(with_crc(valid_body() + "550202""56031.0""57013")), "qr_convenience_fee_unexpected", "57");
  expect_error(parse_payload(with_crc(valid_body() + "550203""570500.00")), "qr_convenience_fee_invalid", "57");
  expect_error(parse_payload(with_crc(valid_body() + "550203""5703100")), "qr_convenience_fee_invalid", "57");
  expect_error(parse_payload(with_crc(valid_body() + "550202""56051.001")), "qr_amount_invalid", "56");
  auto fixed = parse_payload(with_crc(valid_body() + "550202""56041.50"));
  ASSERT_TRUE(fixed.ok()) << fixed.error().code;
  EXPECT_EQ(fixed->tip_or_convenience, TipOrConvenience::fixed_fee);
  EXPECT_EQ(fixed->convenience_fee_fixed, "1.50");
  auto percentage = parse_payload(with_crc(valid_body() + "550203""570599.99"));
  ASSERT_TRUE(percentage.ok()) << percentage.error().code;
  EXPECT_EQ(percentage->convenience_fee_percentage, "99.99");
  auto prompt = parse_payload(with_crc(valid_body() + "550201"));
  ASSERT_TRUE(prompt.ok());
  EXPECT_EQ(prompt->tip_or_convenience, TipOrConvenience::prompt_consumer);
}

TEST(PayloadParser, KeepsUnknownObjectsInOrder) {
  auto parsed = parse_payload(with_crc(valid_body() + "9903zzz""6502ab""8003x y" "62200503***5002PS1003RFU"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  ASSERT_EQ(parsed->other_data_objects.size(), 3u);
  EXPECT_EQ(parsed->other_data_objects[0], (DataObject{"99", "zzz"}));
  EXPECT_EQ(parsed->other_data_objects[1], (DataObject{"65", "ab"}));
  EXPECT_EQ(parsed->other_data_objects[2], (DataObject{"80", "x y"}));
  ASSERT_TRUE(parsed->additional_data.has_value());
  EXPECT_EQ(parsed->additional_data->reference_label, "***");
  ASSERT_EQ(parsed->additional_data->other_data_objects.size(), 2u);
  EXPECT_EQ(parsed->additional_data->other_data_objects[0], (DataObject{"50", "PS"}));
  EXPECT_EQ(parsed->additional_data->other_data_objects[1], (DataObject{"10", "RFU"}));
}

}  // namespace
}  // namespace mpay::qr
