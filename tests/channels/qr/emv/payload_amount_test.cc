#include <gtest/gtest.h>

#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;

TEST(PayloadAmount, TextToMinorUnitsWithTheCurrencyExponent) {
  EXPECT_EQ(amount_text_to_minor("23.72", *currency_by_code("CNY")).value(), 2372);
  EXPECT_EQ(amount_text_to_minor("25", *currency_by_code("CNY")).value(), 2500);
  EXPECT_EQ(amount_text_to_minor("25.5", *currency_by_code("CNY")).value(), 2550);
  EXPECT_EQ(amount_text_to_minor("98.", *currency_by_code("JPY")).value(), 98);
  EXPECT_EQ(amount_text_to_minor("0.5", *currency_by_code("KWD")).value(), 500);
  EXPECT_EQ(amount_text_to_minor("007", *currency_by_code("JPY")).value(), 7);
  EXPECT_EQ(amount_text_to_minor("9999999999999", *currency_by_code("KWD")).value(), 9999999999999000);
  expect_error(amount_text_to_minor("1.5", *currency_by_code("JPY")), "qr_amount_invalid", "54");
  expect_error(amount_text_to_minor("1.5", *currency_by_code("JPY"), "56"), "qr_amount_invalid", "56");
  expect_error(amount_text_to_minor("", *currency_by_code("CNY")), "qr_field_length_invalid", "54");
}

TEST(PayloadAmount, MinorUnitsToText) {
  EXPECT_EQ(amount_text_from_minor(2500, *currency_by_code("CNY")).value(), "25.00");
  EXPECT_EQ(amount_text_from_minor(98, *currency_by_code("JPY")).value(), "98");
  EXPECT_EQ(amount_text_from_minor(1, *currency_by_code("KWD")).value(), "0.001");
  expect_error(amount_text_from_minor(-1, *currency_by_code("CNY")), "qr_amount_invalid", "54");
  expect_error(amount_text_from_minor(100000000000000, *currency_by_code("CNY")), "qr_field_length_invalid", "54");
}

TEST(PayloadAmount, OfAPayload) {
  MerchantPresentedPayload payload;
  payload.transaction_currency = *currency_by_code("THB");
  expect_error(payload_amount_minor(payload), "qr_field_missing", "54");
  payload.transaction_amount = "150.00";
  EXPECT_EQ(payload_amount_minor(payload).value(), 15000);
  payload.transaction_currency = Currency{};
  expect_error(payload_amount_minor(payload), "qr_currency_unknown", "53");
}

}  // namespace
}  // namespace mpay::qr
