#include "core/amount_limit.h"

#include <gtest/gtest.h>

#include "core/money.h"

namespace mpay {
namespace {

const Currency kCny = *currency_by_code("CNY");
const Currency kJpy = *currency_by_code("JPY");
const Currency kKwd = *currency_by_code("KWD");

TEST(AmountLimit, TheMaximumItselfPassesOneMinorUnitMoreIsTooLarge) {
  EXPECT_EQ(*within_amount_max(parse_amount("100000000000.00", kCny), kCny), kAmountMinorMax);
  Result<int64_t> over = within_amount_max(parse_amount("100000000000.01", kCny), kCny);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "amount_too_large");
  EXPECT_EQ(over.error().field, "amount");
  EXPECT_EQ(over.error().message, "the amount is at most 100000000000.00 CNY");
  EXPECT_EQ(within_amount_max(parse_amount("10000000000001", kJpy), kJpy).error().message,
            "the amount is at most 10000000000000 JPY");
  EXPECT_EQ(within_amount_max(parse_amount("10000000000.001", kKwd), kKwd).error().code,
            "amount_too_large");
}

TEST(AmountLimit, AmountsNearAndBeyondInt64AreTooLargeNotOverflow) {
  for (const char* text :
       {"92233720368547758.07", "92233720368547758.08", "99999999999999999999999"}) {
    Result<int64_t> checked = within_amount_max(parse_amount(text, kCny), kCny, "per_charge_max");
    ASSERT_FALSE(checked.ok()) << text;
    EXPECT_EQ(checked.error().code, "amount_too_large") << text;
    EXPECT_EQ(checked.error().field, "per_charge_max") << text;
  }
}

TEST(AmountLimit, OtherParseErrorsPassThrough) {
  EXPECT_EQ(within_amount_max(parse_amount("1e3", kCny), kCny).error().code, "amount_exponent");
  EXPECT_EQ(within_amount_max(parse_amount("0.001", kCny), kCny).error().code,
            "amount_too_many_fraction_digits");
  EXPECT_EQ(*within_amount_max(parse_amount("25.50", kCny), kCny), 2550);
}

}  // namespace
}  // namespace mpay
