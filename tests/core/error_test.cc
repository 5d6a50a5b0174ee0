#include "core/error.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mpay {
namespace {

Result<int> half(int value) {
  if (value % 2 != 0) return Error("odd_value", "value must be even", "value");
  return value / 2;
}

TEST(Result, HoldsAValue) {
  Result<int> result = half(10);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(result.value(), 5);
  EXPECT_EQ(*result, 5);
}

TEST(Result, HoldsAnError) {
  Result<int> result = half(3);
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(result.error().code, "odd_value");
  EXPECT_EQ(result.error().message, "value must be even");
  EXPECT_EQ(result.error().field, "value");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> taken = std::move(result).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 7);
}

TEST(Result, ArrowReachesMembers) {
  Result<std::string> result = std::string("abc");
  EXPECT_EQ(result->size(), 3u);
}

TEST(Status, OkAndError) {
  Status ok = ok_status();
  EXPECT_TRUE(ok.ok());
  Status failed = Error("store_unavailable", "disk full");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "store_unavailable");
  EXPECT_TRUE(failed.error().field.empty());
}

using ResultDeathTest = ::testing::Test;

TEST_F(ResultDeathTest, ValueOfAnErrorAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Result<int> result = half(3);
  EXPECT_DEATH((void)result.value(), "Result::value\\(\\) on an error");
}

TEST_F(ResultDeathTest, ErrorOfAValueAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Result<int> result = half(4);
  EXPECT_DEATH((void)result.error(), "Result::error\\(\\) on a value");
  Status ok = ok_status();
  EXPECT_DEATH((void)ok.error(), "Status::error\\(\\) on success");
}

TEST_F(ResultDeathTest, CheckFailurePrintsConditionAndMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  int balance = -1;
  EXPECT_DEATH(MPAY_CHECK(balance >= 0, "balance went negative"),
               "check failed: balance >= 0: balance went negative");
  MPAY_CHECK(balance < 0, "a true condition does nothing");
}

}  // namespace
}  // namespace mpay
