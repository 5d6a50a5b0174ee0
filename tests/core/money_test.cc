#include "core/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace mpay {
namespace {

// Money is integer minor units, never a floating-point number.
static_assert(std::is_same_v<decltype(Money::minor), int64_t>);

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();  //  9223372036854775807
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();  // -9223372036854775808

Currency cny() {
  return *currency_by_code("CNY");
}  // exponent 2
Currency jpy() {
  return *currency_by_code("JPY");
}  // exponent 0
Currency kwd() {
  return *currency_by_code("KWD");
}  // exponent 3
Currency usd() {
  return *currency_by_code("USD");
}

// The error code of a parse that must fail; "<ok>" if it unexpectedly succeeded.
std::string parse_error_code(std::string_view text, const Currency& currency,
                             SignPolicy sign = SignPolicy::positive_or_zero) {
  Result<int64_t> result = parse_amount(text, currency, sign);
  if (result.ok()) return "<ok " + std::to_string(result.value()) + ">";
  return result.error().code;
}

TEST(ParseAmount, AcceptsPlainDecimals) {
  EXPECT_EQ(parse_amount("25", cny()).value(), 2500);
  EXPECT_EQ(parse_amount("25.5", cny()).value(), 2550);
  EXPECT_EQ(parse_amount("25.50", cny()).value(), 2550);
}

TEST(ParseAmount, AcceptsZeroAndSmallAmounts) {
  EXPECT_EQ(parse_amount("0", cny()).value(), 0);
  EXPECT_EQ(parse_amount("0.0", cny()).value(), 0);
  EXPECT_EQ(parse_amount("0.00", cny()).value(), 0);
  EXPECT_EQ(parse_amount("0.01", cny()).value(), 1);
  EXPECT_EQ(parse_amount("0.1", cny()).value(), 10);
  EXPECT_EQ(parse_amount("0.5", cny()).value(), 50);
  EXPECT_EQ(parse_amount("1", cny()).value(), 100);
  EXPECT_EQ(parse_amount("10.05", cny()).value(), 1005);
  EXPECT_EQ(parse_amount("100", cny()).value(), 10000);
}

TEST(ParseAmount, ScalesByTheCurrencyExponent) {
  EXPECT_EQ(parse_amount("25", jpy()).value(), 25);
  EXPECT_EQ(parse_amount("0", jpy()).value(), 0);
  EXPECT_EQ(parse_amount("1000", jpy()).value(), 1000);
  EXPECT_EQ(parse_amount("25", kwd()).value(), 25000);
  EXPECT_EQ(parse_amount("1.234", kwd()).value(), 1234);
  EXPECT_EQ(parse_amount("1.2", kwd()).value(), 1200);
  EXPECT_EQ(parse_amount("1.23", kwd()).value(), 1230);
  EXPECT_EQ(parse_amount("0.001", kwd()).value(), 1);
}

TEST(ParseAmount, NegativesOnlyWhenAllowed) {
  EXPECT_EQ(parse_amount("-25.5", cny(), SignPolicy::allow_negative).value(), -2550);
  EXPECT_EQ(parse_amount("-0.01", cny(), SignPolicy::allow_negative).value(), -1);
  EXPECT_EQ(parse_amount("-7", jpy(), SignPolicy::allow_negative).value(), -7);
  EXPECT_EQ(parse_amount("-1.234", kwd(), SignPolicy::allow_negative).value(), -1234);
  EXPECT_EQ(parse_error_code("-25.5", cny()), "amount_negative");
  EXPECT_EQ(parse_error_code("-1", jpy()), "amount_negative");
  EXPECT_EQ(parse_error_code("-25.5", cny(), SignPolicy::positive_or_zero), "amount_negative");
  // A positive amount parses the same under either policy.
  EXPECT_EQ(parse_amount("25.5", cny(), SignPolicy::allow_negative).value(), 2550);
}

struct Rejection {
  std::string text;
  const char* currency;
  SignPolicy sign;
  const char* code;
};

TEST(ParseAmount, RejectsEachMalformedFormWithItsOwnCode) {
  constexpr SignPolicy pos = SignPolicy::positive_or_zero;
  constexpr SignPolicy neg = SignPolicy::allow_negative;
  const std::vector<Rejection> cases = {
      {"", "CNY", pos, "amount_empty"},
      {"", "CNY", neg, "amount_empty"},
      {" 25", "CNY", pos, "amount_whitespace"},
      {"25 ", "CNY", pos, "amount_whitespace"},
      {"2 5", "CNY", pos, "amount_whitespace"},
      {"\t25", "CNY", pos, "amount_whitespace"},
      {"25\n", "CNY", pos, "amount_whitespace"},
      {"25\r\n", "CNY", pos, "amount_whitespace"},
      {"- 25", "CNY", neg, "amount_whitespace"},
      {"+25", "CNY", pos, "amount_plus_sign"},
      {"+25", "CNY", neg, "amount_plus_sign"},
      {"+0", "JPY", pos, "amount_plus_sign"},
      {"1e3", "CNY", pos, "amount_exponent"},
      {"1E3", "CNY", pos, "amount_exponent"},
      {"2.5e1", "CNY", pos, "amount_exponent"},
      {"1e-2", "CNY", pos, "amount_exponent"},
      {"25,00", "CNY", pos, "amount_comma"},
      {"25,5", "EUR", pos, "amount_comma"},
      {"1,000", "JPY", pos, "amount_comma"},
      {"1,000.00", "USD", pos, "amount_comma"},
      {"25.505", "CNY", pos, "amount_too_many_fraction_digits"},
      {"25.500", "CNY", pos, "amount_too_many_fraction_digits"},
      {"25.0", "JPY", pos, "amount_too_many_fraction_digits"},
      {"1.5", "KRW", pos, "amount_too_many_fraction_digits"},
      {"1.2345", "KWD", pos, "amount_too_many_fraction_digits"},
      {"-0.001", "CNY", neg, "amount_too_many_fraction_digits"},
      {"25.", "CNY", pos, "amount_missing_fraction_digits"},
      {"25.", "JPY", pos, "amount_missing_fraction_digits"},
      {"0.", "CNY", pos, "amount_missing_fraction_digits"},
      {".5", "CNY", pos, "amount_missing_integer_digits"},
      {".", "CNY", pos, "amount_missing_integer_digits"},
      {"-", "CNY", neg, "amount_missing_integer_digits"},
      {"-.5", "CNY", neg, "amount_missing_integer_digits"},
      {"007", "CNY", pos, "amount_leading_zero"},
      {"00", "CNY", pos, "amount_leading_zero"},
      {"00.50", "CNY", pos, "amount_leading_zero"},
      {"01", "JPY", pos, "amount_leading_zero"},
      {"-07", "CNY", neg, "amount_leading_zero"},
      {"-0", "CNY", neg, "amount_negative_zero"},
      {"-0.00", "CNY", neg, "amount_negative_zero"},
      {"-0.0", "KWD", neg, "amount_negative_zero"},
      {"-0", "JPY", neg, "amount_negative_zero"},
      {"-0", "CNY", pos, "amount_negative"},
      {"-25", "CNY", pos, "amount_negative"},
      {"-", "CNY", pos, "amount_negative"},
      {"25a", "CNY", pos, "amount_invalid_character"},
      {"abc", "CNY", pos, "amount_invalid_character"},
      {"0x10", "CNY", pos, "amount_invalid_character"},
      {"1.2.3", "CNY", pos, "amount_invalid_character"},
      {"1..2", "KWD", pos, "amount_invalid_character"},
      {"--5", "CNY", neg, "amount_invalid_character"},
      {"-+5", "CNY", neg, "amount_invalid_character"},
      {"5-", "CNY", pos, "amount_invalid_character"},
      {"25%", "CNY", pos, "amount_invalid_character"},
      {"$25", "USD", pos, "amount_invalid_character"},
      {"\xC2\xA5"
       "25",
       "CNY", pos, "amount_invalid_character"},                // U+00A5 yen sign
      {"25\xC2\xA0", "CNY", pos, "amount_invalid_character"},  // U+00A0 no-break space
      {"\xEF\xBC\x92\xEF\xBC\x95", "CNY", pos, "amount_invalid_character"},  // full-width "25"
      {std::string("25\0", 3), "CNY", pos, "amount_invalid_character"},
      {"NaN", "CNY", pos, "amount_invalid_character"},
      {"inf", "CNY", pos, "amount_invalid_character"},
  };
  for (const Rejection& c : cases) {
    SCOPED_TRACE("input \"" + c.text + "\" in " + c.currency);
    Result<int64_t> result = parse_amount(c.text, *currency_by_code(c.currency), c.sign);
    ASSERT_FALSE(result.ok()) << "parsed as " << result.value();
    EXPECT_EQ(result.error().code, c.code);
    EXPECT_EQ(result.error().field, "amount");
    EXPECT_FALSE(result.error().message.empty());
  }
}

// INT64_MAX is 9223372036854775807 and INT64_MIN is -9223372036854775808; the decimal point moves
// by the currency exponent.
struct Boundary {
  const char* currency;
  const char* max_text;
  const char* max_plus_one_text;
  const char* min_text;
  const char* min_minus_one_text;
};

TEST(ParseAmount, ExactInt64BoundariesForEveryExponent) {
  const Boundary boundaries[] = {
      {"JPY", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
       "-9223372036854775809"},
      {"CNY", "92233720368547758.07", "92233720368547758.08", "-92233720368547758.08",
       "-92233720368547758.09"},
      {"KWD", "9223372036854775.807", "9223372036854775.808", "-9223372036854775.808",
       "-9223372036854775.809"},
  };
  for (const Boundary& b : boundaries) {
    SCOPED_TRACE(b.currency);
    Currency currency = *currency_by_code(b.currency);
    EXPECT_EQ(parse_amount(b.max_text, currency).value(), kMax);
    EXPECT_EQ(parse_amount(b.max_text, currency, SignPolicy::allow_negative).value(), kMax);
    EXPECT_EQ(parse_error_code(b.max_plus_one_text, currency), "amount_overflow");
    EXPECT_EQ(parse_error_code(b.max_plus_one_text, currency, SignPolicy::allow_negative),
              "amount_overflow");
    EXPECT_EQ(parse_amount(b.min_text, currency, SignPolicy::allow_negative).value(), kMin);
    EXPECT_EQ(parse_error_code(b.min_text, currency), "amount_negative");
    EXPECT_EQ(parse_error_code(b.min_minus_one_text, currency, SignPolicy::allow_negative),
              "amount_overflow");
    // The same boundary values come back out of format_amount.
    EXPECT_EQ(format_amount(kMax, currency), b.max_text);
    EXPECT_EQ(format_amount(kMin, currency), b.min_text);
  }
}

TEST(ParseAmount, OverflowFarBeyondTheBoundary) {
  EXPECT_EQ(parse_error_code("92233720368547758.1", cny()), "amount_overflow");
  EXPECT_EQ(parse_error_code("92233720368547759", cny()), "amount_overflow");
  EXPECT_EQ(parse_error_code("100000000000000000000", jpy()), "amount_overflow");
  EXPECT_EQ(parse_error_code("18446744073709551616", jpy()), "amount_overflow");  // 2^64
  EXPECT_EQ(parse_error_code(std::string(400, '9'), jpy()), "amount_overflow");
  EXPECT_EQ(parse_error_code("-" + std::string(400, '9'), jpy(), SignPolicy::allow_negative),
            "amount_overflow");
  // Just below the boundary with fewer fraction digits still fits.
  EXPECT_EQ(parse_amount("92233720368547758", cny()).value(), 9223372036854775800);
  EXPECT_EQ(parse_amount("92233720368547758.0", cny()).value(), 9223372036854775800);
}

TEST(FormatAmount, SmallValuesForExponentsZeroTwoThree) {
  EXPECT_EQ(format_amount(0, jpy()), "0");
  EXPECT_EQ(format_amount(5, jpy()), "5");
  EXPECT_EQ(format_amount(-5, jpy()), "-5");
  EXPECT_EQ(format_amount(100, jpy()), "100");

  EXPECT_EQ(format_amount(0, cny()), "0.00");
  EXPECT_EQ(format_amount(5, cny()), "0.05");
  EXPECT_EQ(format_amount(-5, cny()), "-0.05");
  EXPECT_EQ(format_amount(100, cny()), "1.00");

  EXPECT_EQ(format_amount(0, kwd()), "0.000");
  EXPECT_EQ(format_amount(5, kwd()), "0.005");
  EXPECT_EQ(format_amount(-5, kwd()), "-0.005");
  EXPECT_EQ(format_amount(100, kwd()), "0.100");
}

TEST(FormatAmount, ExamplesFromTheContract) {
  EXPECT_EQ(format_amount(2550, cny()), "25.50");
  EXPECT_EQ(format_amount(25, jpy()), "25");
  EXPECT_EQ(format_amount(-1234, kwd()), "-1.234");
  // No grouping separators on large values.
  EXPECT_EQ(format_amount(123456789, cny()), "1234567.89");
  EXPECT_EQ(format_amount(1000000, jpy()), "1000000");
  EXPECT_EQ(format_amount(1000, kwd()), "1.000");
  EXPECT_EQ(format_amount(-99, cny()), "-0.99");
  EXPECT_EQ(format_amount(-100, cny()), "-1.00");
}

TEST(FormatAmount, RoundTripsThroughParseForEveryKnownCurrency) {
  const int64_t values[] = {0,    1,    -1,       5,    -5,       9,         10,       99,
                            100,  -100, 101,      999,  1000,     1001,      12345,    -12345,
                            2550, kMax, kMax - 1, kMin, kMin + 1, kMax / 10, kMin / 10};
  for (const Currency& currency : known_currencies()) {
    for (int64_t minor : values) {
      SCOPED_TRACE(std::string(currency.code) + " " + std::to_string(minor));
      std::string text = format_amount(minor, currency);
      Result<int64_t> parsed = parse_amount(text, currency, SignPolicy::allow_negative);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().code;
      EXPECT_EQ(parsed.value(), minor) << text;
      // Exactly `exponent` fraction digits, and a '.' only when the exponent is not zero.
      size_t point = text.find('.');
      if (currency.exponent == 0) {
        EXPECT_EQ(point, std::string::npos) << text;
      } else {
        ASSERT_NE(point, std::string::npos) << text;
        EXPECT_EQ(text.size() - point - 1, currency.exponent) << text;
      }
    }
  }
}

TEST(FormatAmount, CanonicalTextRoundTripsUnchanged) {
  const std::pair<const char*, const char*> cases[] = {
      {"CNY", "25.50"}, {"CNY", "0.01"},  {"CNY", "-0.01"},  {"CNY", "1000000.00"},
      {"JPY", "25"},    {"JPY", "0"},     {"JPY", "-1"},     {"KRW", "50000"},
      {"KWD", "1.234"}, {"KWD", "0.001"}, {"KWD", "-0.100"},
  };
  for (const auto& [code, text] : cases) {
    Currency currency = *currency_by_code(code);
    Result<int64_t> parsed = parse_amount(text, currency, SignPolicy::allow_negative);
    ASSERT_TRUE(parsed.ok()) << code << " " << text;
    EXPECT_EQ(format_amount(parsed.value(), currency), text) << code;
  }
  // Short fractions come back padded to the currency's exponent.
  EXPECT_EQ(format_amount(parse_amount("25.5", cny()).value(), cny()), "25.50");
  EXPECT_EQ(format_amount(parse_amount("7", kwd()).value(), kwd()), "7.000");
}

constexpr int64_t kUntouched = 0x5A5A5A5A;

TEST(CheckedArithmetic, AddAtTheBoundaries) {
  int64_t out = kUntouched;
  ASSERT_TRUE(checked_add(kMax, 0, &out));
  EXPECT_EQ(out, kMax);
  ASSERT_TRUE(checked_add(kMax - 1, 1, &out));
  EXPECT_EQ(out, kMax);
  ASSERT_TRUE(checked_add(kMin, kMax, &out));
  EXPECT_EQ(out, -1);
  ASSERT_TRUE(checked_add(kMin + 1, -1, &out));
  EXPECT_EQ(out, kMin);
  ASSERT_TRUE(checked_add(-5, 5, &out));
  EXPECT_EQ(out, 0);

  out = kUntouched;
  EXPECT_FALSE(checked_add(kMax, 1, &out));
  EXPECT_FALSE(checked_add(1, kMax, &out));
  EXPECT_FALSE(checked_add(kMax, kMax, &out));
  EXPECT_FALSE(checked_add(kMin, -1, &out));
  EXPECT_FALSE(checked_add(-1, kMin, &out));
  EXPECT_FALSE(checked_add(kMin, kMin, &out));
  EXPECT_EQ(out, kUntouched) << "a failed add must leave *out alone";
}

TEST(CheckedArithmetic, SubtractAtTheBoundaries) {
  int64_t out = kUntouched;
  ASSERT_TRUE(checked_sub(kMin + 1, 1, &out));
  EXPECT_EQ(out, kMin);
  ASSERT_TRUE(checked_sub(-1, kMin, &out));
  EXPECT_EQ(out, kMax);
  ASSERT_TRUE(checked_sub(kMax, kMax, &out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(checked_sub(kMin, kMin, &out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(checked_sub(0, kMax, &out));
  EXPECT_EQ(out, kMin + 1);

  out = kUntouched;
  EXPECT_FALSE(checked_sub(kMin, 1, &out));
  EXPECT_FALSE(checked_sub(0, kMin, &out));  // -INT64_MIN does not exist
  EXPECT_FALSE(checked_sub(kMax, -1, &out));
  EXPECT_FALSE(checked_sub(kMax, kMin, &out));
  EXPECT_FALSE(checked_sub(kMin, kMax, &out));
  EXPECT_EQ(out, kUntouched) << "a failed subtract must leave *out alone";
}

TEST(CheckedArithmetic, MultiplyAtTheBoundaries) {
  int64_t out = kUntouched;
  ASSERT_TRUE(checked_mul(kMax, 1, &out));
  EXPECT_EQ(out, kMax);
  ASSERT_TRUE(checked_mul(kMax, -1, &out));
  EXPECT_EQ(out, kMin + 1);
  ASSERT_TRUE(checked_mul(kMin, 1, &out));
  EXPECT_EQ(out, kMin);
  ASSERT_TRUE(checked_mul(kMin, 0, &out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(checked_mul(int64_t{-4294967296}, int64_t{2147483648}, &out));  // -2^32 * 2^31
  EXPECT_EQ(out, kMin);
  // floor(sqrt(INT64_MAX)) = 3037000499: its square fits, the next one does not.
  ASSERT_TRUE(checked_mul(3037000499, 3037000499, &out));
  EXPECT_EQ(out, 9223372030926249001);
  ASSERT_TRUE(checked_mul(kMax / 100, 100, &out));
  EXPECT_EQ(out, 9223372036854775800);

  out = kUntouched;
  EXPECT_FALSE(checked_mul(kMin, -1, &out));
  EXPECT_FALSE(checked_mul(-1, kMin, &out));
  EXPECT_FALSE(checked_mul(kMax, 2, &out));
  EXPECT_FALSE(checked_mul(kMin, 2, &out));
  EXPECT_FALSE(checked_mul(3037000500, 3037000500, &out));
  EXPECT_FALSE(checked_mul(int64_t{4294967296}, int64_t{2147483648}, &out));  // 2^63
  EXPECT_FALSE(checked_mul(kMax / 100 + 1, 100, &out));
  EXPECT_EQ(out, kUntouched) << "a failed multiply must leave *out alone";
}

TEST(MoneyArithmetic, AddAndSubtractInOneCurrency) {
  Result<Money> sum = add(Money{2550, cny()}, Money{-50, cny()});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum.value(), (Money{2500, cny()}));

  Result<Money> difference = subtract(Money{100, jpy()}, Money{250, jpy()});
  ASSERT_TRUE(difference.ok());
  EXPECT_EQ(difference->minor, -150);
  EXPECT_EQ(difference->currency.code, "JPY");

  Result<Money> to_max = add(Money{kMax - 1, kwd()}, Money{1, kwd()});
  ASSERT_TRUE(to_max.ok());
  EXPECT_EQ(to_max->minor, kMax);
  Result<Money> to_min = subtract(Money{kMin + 1, kwd()}, Money{1, kwd()});
  ASSERT_TRUE(to_min.ok());
  EXPECT_EQ(to_min->minor, kMin);
}

TEST(MoneyArithmetic, CurrencyMismatchIsAnError) {
  Result<Money> sum = add(Money{100, cny()}, Money{100, usd()});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().code, "currency_mismatch");
  Result<Money> difference = subtract(Money{100, cny()}, Money{100, usd()});
  ASSERT_FALSE(difference.ok());
  EXPECT_EQ(difference.error().code, "currency_mismatch");
  // Even zero amounts of different currencies do not mix.
  EXPECT_EQ(add(Money{0, jpy()}, Money{0, *currency_by_code("KRW")}).error().code,
            "currency_mismatch");
  // A mismatch is reported as such even when the sum would also overflow.
  EXPECT_EQ(add(Money{kMax, cny()}, Money{1, usd()}).error().code, "currency_mismatch");
  EXPECT_EQ(subtract(Money{kMin, cny()}, Money{1, usd()}).error().code, "currency_mismatch");
}

TEST(MoneyArithmetic, OverflowIsAnErrorNeverAWrap) {
  EXPECT_EQ(add(Money{kMax, cny()}, Money{1, cny()}).error().code, "amount_overflow");
  EXPECT_EQ(add(Money{kMin, cny()}, Money{-1, cny()}).error().code, "amount_overflow");
  EXPECT_EQ(subtract(Money{kMin, cny()}, Money{1, cny()}).error().code, "amount_overflow");
  EXPECT_EQ(subtract(Money{0, cny()}, Money{kMin, cny()}).error().code, "amount_overflow");
  EXPECT_EQ(subtract(Money{kMax, cny()}, Money{-1, cny()}).error().code, "amount_overflow");
}

TEST(MoneyEquality, ComparesAmountAndCurrency) {
  EXPECT_EQ((Money{100, cny()}), (Money{100, cny()}));
  EXPECT_FALSE((Money{100, cny()}) == (Money{101, cny()}));
  EXPECT_FALSE((Money{100, cny()}) == (Money{100, usd()}));
}

}  // namespace
}  // namespace mpay
