// The merchant fee and its return on refunds (fees.h): half-up rounding computed exactly, and
// refunds that together give back exactly the fee, never more.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "payments/requests/fees.h"

namespace mpay::requests {
namespace {

TEST(FeesTest, AFeeIsRoundedHalfUpToTheMinorUnit) {
  EXPECT_EQ(fee_for(10000, 250), 250);  // 2.5% of 100.00
  EXPECT_EQ(fee_for(149, 100), 1);      // 1.49 -> 1
  EXPECT_EQ(fee_for(150, 100), 2);      // 1.50 -> 2: half goes up
  EXPECT_EQ(fee_for(50, 100), 1);       // 0.50 -> 1
  EXPECT_EQ(fee_for(49, 100), 0);       // 0.49 -> 0
  EXPECT_EQ(fee_for(12345, 0), 0);
  EXPECT_EQ(fee_for(0, 300), 0);
}

TEST(FeesTest, AFeeOnAHugeAmountIsExact) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(fee_for(kMax, 10000), kMax);
  // 9,223,372,036,854,775,807 / 2 = ...903.5, rounded up; a double would be off by hundreds.
  EXPECT_EQ(fee_for(kMax, 5000), 4'611'686'018'427'387'904);
  EXPECT_EQ(fee_for(9'000'000'000'000'000'001, 9999), 8'999'100'000'000'000'001);
}

TEST(FeesTest, ThreeThirdRefundsReturnExactlyTheFee) {
  // 29 on 10.00: the thirds return 9, 10 and 10 (the rounding lags, never leads).
  int64_t first = fee_returned_by(1000, 29, 0, 0, 333);
  int64_t second = fee_returned_by(1000, 29, 333, first, 333);
  int64_t third = fee_returned_by(1000, 29, 666, first + second, 334);
  EXPECT_EQ(first, 9);
  EXPECT_EQ(second, 10);
  EXPECT_EQ(third, 10);
  EXPECT_EQ(first + second + third, 29);
}

TEST(FeesTest, OneFullRefundReturnsTheWholeFee) {
  EXPECT_EQ(fee_returned_by(10001, 300, 0, 0, 10001), 300);
  EXPECT_EQ(fee_returned_by(1000, 0, 0, 0, 1000), 0);
}

TEST(FeesTest, SuccessivePartialRefundsNeverReturnMoreThanTheFullRefundWould) {
  std::mt19937_64 random(20261125);
  for (int round = 0; round < 2000; ++round) {
    int64_t captured = 1 + static_cast<int64_t>(random() % 1'000'000);
    int64_t fee = static_cast<int64_t>(random() % (captured + 1));
    int64_t refunded = 0, returned = 0;
    while (refunded < captured) {
      int64_t left = captured - refunded;
      int64_t refund = 1 + static_cast<int64_t>(random() % std::min<int64_t>(left, 1 + captured / 3));
      int64_t share = fee_returned_by(captured, fee, refunded, returned, refund);
      ASSERT_GE(share, 0);
      refunded += refund;
      returned += share;
      // Never ahead of the exact proportion: fee * refunded / captured.
      ASSERT_LE(static_cast<__int128>(returned) * captured, static_cast<__int128>(fee) * refunded)
          << "captured " << captured << " fee " << fee << " refunded " << refunded;
    }
    ASSERT_EQ(returned, fee) << "captured " << captured << " fee " << fee;
  }
}

TEST(FeesTest, OneMinorUnitRefundsAddUpToTheFee) {
  int64_t returned = 0;
  for (int64_t refunded = 0; refunded < 7; ++refunded) {
    returned += fee_returned_by(7, 3, refunded, returned, 1);
  }
  EXPECT_EQ(returned, 3);
}

}  // namespace
}  // namespace mpay::requests
