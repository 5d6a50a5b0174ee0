// Published example payloads of EMVCo-based schemes, parsed field by field. Each CRC was checked
// independently (Python, binascii.crc_hqx(payload_without_crc_value, 0xFFFF)) before it was used.
#include <gtest/gtest.h>

#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;

// EMV QR Code Specification for Payment Systems (EMV QRCPS), Merchant-Presented Mode, Appendix A
// "Examples" (v1.0 July 2017, kept in v1.1 November 2020): the "BEST TRANSPORT" payload with the
// merchant's name and city in Chinese in tag 64. Lengths of 64's subfields count characters.
constexpr std::string_view kEmvcoAppendixExample =
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
    "0708A60086670902ME91320016A0112233449988770708123456786304A13A";

// Banco Central do Brasil, "Manual de Padrões para Iniciação do Pix" (BR Code), the static example
// with the random key 123e4567-e12b-12d1-a456-426655440000 and receiver "Fulano de Tal", BRASILIA.
constexpr std::string_view kPixBrCodeExample =
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D";

// Singapore PayNow inside an SGQR (tag 51 "SG.SGQR"), a scanned code published in the README of
// github.com/poonchuanan/Python-PayNow-QR-Code-Generator ("Example:" under "Specifications").
// The merchant name is cut at exactly 25 characters, the spec's maximum.
constexpr std::string_view kPayNowSgqrExample =
    "00020101021126430009SG.PAYNOW010120210T04SS0129D030110502QS51810007SG.SGQR011221073031741D"
    "020701.000103066003160402010503279060400000708202107305204000053037025802SG"
    "5925LOVING HEART MULTI-SERVIC6009Singapore6304A177";

TEST(PublishedExamples, EmvcoAppendixFieldByField) {
  auto parsed = parse_payload(kEmvcoAppendixExample);
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  const MerchantPresentedPayload& p = *parsed;
  EXPECT_EQ(p.point_of_initiation, InitiationMethod::dynamic_code);
  ASSERT_EQ(p.merchant_accounts.size(), 2u);
  EXPECT_EQ(p.merchant_accounts[0].id, "29");
  EXPECT_EQ(p.merchant_accounts[0].data_objects,
            (std::vector<DataObject>{{"00", "D15600000000"}, {"05", "A93FO3230Q"}}));
  EXPECT_EQ(p.merchant_accounts[1].id, "31");
  EXPECT_EQ(p.merchant_accounts[1].data_objects,
            (std::vector<DataObject>{{"00", "D15600000001"}, {"03", "12345678"}}));
  EXPECT_EQ(p.merchant_category_code, "4111");
  EXPECT_EQ(p.country_code, "CN");
  EXPECT_EQ(p.merchant_name, "BEST TRANSPORT");
  EXPECT_EQ(p.merchant_city, "BEIJING");
  ASSERT_TRUE(p.language_template.has_value());
  EXPECT_EQ(p.language_template->language_preference, "ZH");
  EXPECT_EQ(p.language_template->merchant_name, "最佳运输");
  EXPECT_EQ(p.language_template->merchant_city, "北京");
  EXPECT_EQ(p.transaction_amount, "23.72");
  EXPECT_EQ(p.transaction_currency.code, "CNY");
  EXPECT_EQ(payload_amount_minor(p).value(), 2372);
  EXPECT_EQ(p.tip_or_convenience, TipOrConvenience::prompt_consumer);
  ASSERT_TRUE(p.additional_data.has_value());
  EXPECT_EQ(p.additional_data->store_label, "1234");
  EXPECT_EQ(p.additional_data->customer_label, "***");
  EXPECT_EQ(p.additional_data->terminal_label, "A6008667");
  EXPECT_EQ(p.additional_data->additional_consumer_data_request, "ME");
  EXPECT_FALSE(p.additional_data->bill_number.has_value());
  ASSERT_EQ(p.other_data_objects.size(), 1u);
  EXPECT_EQ(p.other_data_objects[0], (DataObject{"91", "0016A011223344998877070812345678"}));
  const MerchantAccount* account = find_merchant_account(p, "D15600000001");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(merchant_account_subfield(*account, "03"), "12345678");
}

TEST(PublishedExamples, EmvcoAppendixRebuildsToTheSameModel) {
  auto parsed = parse_payload(kEmvcoAppendixExample);
  ASSERT_TRUE(parsed.ok());
  auto rebuilt = build_payload(*parsed);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().code;
  // The builder writes the canonical order (54 before 64), so the text differs but the model not.
  EXPECT_NE(*rebuilt, kEmvcoAppendixExample);
  auto again = parse_payload(*rebuilt);
  ASSERT_TRUE(again.ok()) << again.error().code;
  EXPECT_EQ(*again, *parsed);
}

TEST(PublishedExamples, PixBrCodeFieldByField) {
  auto parsed = parse_payload(kPixBrCodeExample);
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  const MerchantPresentedPayload& p = *parsed;
  EXPECT_FALSE(p.point_of_initiation.has_value());
  ASSERT_EQ(p.merchant_accounts.size(), 1u);
  EXPECT_EQ(p.merchant_accounts[0].id, "26");
  const MerchantAccount* pix = find_merchant_account(p, "BR.GOV.BCB.PIX");  // case-insensitive
  ASSERT_NE(pix, nullptr);
  EXPECT_EQ(globally_unique_identifier(*pix), "br.gov.bcb.pix");
  EXPECT_EQ(merchant_account_subfield(*pix, "01"), "123e4567-e12b-12d1-a456-426655440000");
  EXPECT_EQ(p.merchant_category_code, "0000");
  EXPECT_EQ(p.transaction_currency.code, "BRL");
  EXPECT_FALSE(p.transaction_amount.has_value());
  EXPECT_EQ(p.country_code, "BR");
  EXPECT_EQ(p.merchant_name, "Fulano de Tal");
  EXPECT_EQ(p.merchant_city, "BRASILIA");
  ASSERT_TRUE(p.additional_data.has_value());
  EXPECT_EQ(p.additional_data->reference_label, "***");
  // Its objects are already in canonical order: the builder gives back the published text exactly.
  auto rebuilt = build_payload(p);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*rebuilt, kPixBrCodeExample);
}

TEST(PublishedExamples, PayNowSgqrFieldByField) {
  auto parsed = parse_payload(kPayNowSgqrExample);
  ASSERT_TRUE(parsed.ok()) << parsed.error().code << " " << parsed.error().field;
  const MerchantPresentedPayload& p = *parsed;
  EXPECT_EQ(p.point_of_initiation, InitiationMethod::static_code);
  ASSERT_EQ(p.merchant_accounts.size(), 2u);
  const MerchantAccount* paynow = find_merchant_account(p, "SG.PAYNOW");
  ASSERT_NE(paynow, nullptr);
  EXPECT_EQ(paynow->id, "26");
  EXPECT_EQ(merchant_account_subfield(*paynow, "01"), "2");  // proxy type: UEN
  EXPECT_EQ(merchant_account_subfield(*paynow, "02"), "T04SS0129D");
  EXPECT_EQ(merchant_account_subfield(*paynow, "03"), "1");  // amount editable
  EXPECT_EQ(merchant_account_subfield(*paynow, "05"), "QS");
  const MerchantAccount* sgqr = find_merchant_account(p, "SG.SGQR");
  ASSERT_NE(sgqr, nullptr);
  EXPECT_EQ(sgqr->id, "51");
  EXPECT_EQ(merchant_account_subfield(*sgqr, "01"), "21073031741D");
  EXPECT_EQ(merchant_account_subfield(*sgqr, "02"), "01.0001");
  EXPECT_EQ(merchant_account_subfield(*sgqr, "07"), "20210730");
  EXPECT_EQ(p.merchant_category_code, "0000");
  EXPECT_EQ(p.transaction_currency.code, "SGD");
  EXPECT_EQ(p.country_code, "SG");
  EXPECT_EQ(p.merchant_name, "LOVING HEART MULTI-SERVIC");
  EXPECT_EQ(p.merchant_city, "Singapore");
  auto rebuilt = build_payload(p);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*rebuilt, kPayNowSgqrExample);
}

// Published examples that do NOT pass, kept so that the reasons stay visible.
TEST(PublishedExamples, SgqrSampleFromParserSlidesHasAWrongCrc) {
  // "Writing a SGQR Parser" (slides.intzone.com/2018-12-10-Writing_A_SGQR_Parser), "Sample SGQR":
  // its CRC reads 57B3, but CRC-16/CCITT-FALSE of its data is 045E (checked independently).
  auto parsed = parse_payload(
      "00020101021126810011SG.COM.NETS01231198500065G9912312359000211111686614000308686614019908604108C2"
      "51800007SG.SGQR01121809072DD85C020701.00010306079027040201050206060400000708201809155204581253037025802SG"
      "5912ABC MERCHANT6009Singapore630457B3");
  expect_error(parsed, "qr_crc_mismatch", "63");
  EXPECT_NE(parsed.error().message.find("expected 045E, found 57B3"), std::string::npos) << parsed.error().message;
}

}  // namespace
}  // namespace mpay::qr
