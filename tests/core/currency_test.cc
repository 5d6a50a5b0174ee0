#include "core/currency.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mpay {
namespace {

struct Iso4217 {
  const char* code;
  uint16_t numeric;
  uint8_t exponent;
};

// The currencies the product requires, with numeric code and minor unit as published in ISO 4217.
constexpr Iso4217 kRequired[] = {
    {"CNY", 156, 2}, {"USD", 840, 2}, {"EUR", 978, 2}, {"HKD", 344, 2}, {"GBP", 826, 2},
    {"JPY", 392, 0}, {"KRW", 410, 0}, {"KWD", 414, 3}, {"INR", 356, 2}, {"KES", 404, 2},
    {"BRL", 986, 2}, {"SGD", 702, 2}, {"THB", 764, 2},
};

TEST(Currency, RequiredCurrenciesMatchIso4217) {
  for (const Iso4217& expected : kRequired) {
    SCOPED_TRACE(expected.code);
    std::optional<Currency> by_code = currency_by_code(expected.code);
    ASSERT_TRUE(by_code.has_value());
    EXPECT_EQ(by_code->code, expected.code);
    EXPECT_EQ(by_code->numeric, expected.numeric);
    EXPECT_EQ(by_code->exponent, expected.exponent);

    std::optional<Currency> by_numeric = currency_by_numeric(expected.numeric);
    ASSERT_TRUE(by_numeric.has_value());
    EXPECT_EQ(by_numeric->code, expected.code);
    EXPECT_EQ(by_numeric->exponent, expected.exponent);
  }
}

TEST(Currency, TableIsSortedByCodeWithUniqueNumericCodes) {
  std::span<const Currency> table = known_currencies();
  ASSERT_GE(table.size(), std::size(kRequired));
  std::set<uint16_t> numerics;
  for (size_t i = 0; i < table.size(); ++i) {
    const Currency& c = table[i];
    SCOPED_TRACE(std::string(c.code));
    if (i > 0) {
      EXPECT_LT(table[i - 1].code, c.code) << "table must be strictly sorted by code";
    }
    EXPECT_TRUE(numerics.insert(c.numeric).second) << "duplicate numeric code " << c.numeric;
    // Three upper-case ASCII letters, a three-digit numeric code, an exponent ISO 4217 uses (0-4).
    ASSERT_EQ(c.code.size(), 3u);
    for (char letter : c.code) EXPECT_TRUE(letter >= 'A' && letter <= 'Z');
    EXPECT_GE(c.numeric, 1);
    EXPECT_LE(c.numeric, 999);
    EXPECT_LE(c.exponent, 4);
  }
}

TEST(Currency, EveryTableEntryIsFoundByCodeAndByNumeric) {
  // Exercises the binary search at every position, including the first and last entries.
  for (const Currency& c : known_currencies()) {
    SCOPED_TRACE(std::string(c.code));
    std::optional<Currency> by_code = currency_by_code(c.code);
    ASSERT_TRUE(by_code.has_value());
    EXPECT_EQ(by_code->numeric, c.numeric);
    EXPECT_EQ(by_code->exponent, c.exponent);
    std::optional<Currency> by_numeric = currency_by_numeric(c.numeric);
    ASSERT_TRUE(by_numeric.has_value());
    EXPECT_EQ(by_numeric->code, c.code);
  }
}

TEST(Currency, UnknownOrMisspelledCodesAreNotFound) {
  EXPECT_FALSE(currency_by_code("cny").has_value()) << "lower case is not accepted";
  EXPECT_FALSE(currency_by_code("Cny").has_value());
  EXPECT_FALSE(currency_by_code("").has_value());
  EXPECT_FALSE(currency_by_code("CN").has_value());
  EXPECT_FALSE(currency_by_code("CNYY").has_value());
  EXPECT_FALSE(currency_by_code(" CNY").has_value());
  EXPECT_FALSE(currency_by_code("CNY ").has_value());
  EXPECT_FALSE(currency_by_code("156").has_value());
  EXPECT_FALSE(currency_by_code("AAA").has_value());  // before the first entry
  EXPECT_FALSE(currency_by_code("ZZZ").has_value());  // after the last entry
  EXPECT_FALSE(currency_by_code("XXX").has_value());  // ISO "no currency" is not a payment currency
  EXPECT_FALSE(currency_by_code(std::string_view("CNY\0", 4)).has_value());
}

TEST(Currency, UnknownNumericCodesAreNotFound) {
  EXPECT_FALSE(currency_by_numeric(0).has_value());
  EXPECT_FALSE(currency_by_numeric(999).has_value());  // ISO "no currency"
  EXPECT_FALSE(currency_by_numeric(1000).has_value());
  EXPECT_FALSE(currency_by_numeric(65535).has_value());
}

TEST(Currency, EqualityIsByNumericCode) {
  Currency cny = *currency_by_code("CNY");
  EXPECT_TRUE(cny == *currency_by_numeric(156));
  EXPECT_FALSE(cny == *currency_by_code("USD"));
  EXPECT_FALSE(*currency_by_code("JPY") == *currency_by_code("KRW"));
}

}  // namespace
}  // namespace mpay
