#include "core/money.h"

#include <gtest/gtest.h>

namespace mpay {
namespace {

Currency cny() { return *currency_by_code("CNY"); }

TEST(ParseAmount, AcceptsPlainDecimals) {
  EXPECT_EQ(parse_amount("25", cny()).value(), 2500);
  EXPECT_EQ(parse_amount("25.5", cny()).value(), 2550);
  EXPECT_EQ(parse_amount("25.50", cny()).value(), 2550);
}

}  // namespace
}  // namespace mpay
