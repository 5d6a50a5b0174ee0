#include "payments/wallet/balance_cap_guard.h"

#include <gtest/gtest.h>

namespace mpay::wallet {
namespace {

const UserId kPayee(Id128{7, 7});
const UserId kOther(Id128{8, 8});

TEST(BalanceCapGuard, PaymentsInFlightCountAgainstTheCap) {
  BalanceCapGuard guard;
  ASSERT_TRUE(guard.reserve(kPayee, 600, 300, 1'000).ok());
  // A second payment read the same posted balance (600): with the first in flight it no longer fits.
  Status second = guard.reserve(kPayee, 600, 300, 1'000);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "recipient_balance_cap_exceeded");
  EXPECT_EQ(guard.in_flight(kPayee), 300);
  EXPECT_TRUE(guard.reserve(kOther, 600, 300, 1'000).ok());  // other wallets are their own
  // The first is booked: posted is now 900 and nothing is in flight.
  guard.release(kPayee, 300);
  EXPECT_EQ(guard.in_flight(kPayee), 0);
  EXPECT_TRUE(guard.reserve(kPayee, 900, 100, 1'000).ok());
  EXPECT_FALSE(guard.reserve(kPayee, 900, 1, 1'000).ok());
}

TEST(BalanceCapGuard, OverflowIsARefusalNotAWrap) {
  BalanceCapGuard guard;
  EXPECT_FALSE(guard.reserve(kPayee, INT64_MAX, 1, INT64_MAX).ok());
  EXPECT_EQ(guard.in_flight(kPayee), 0);
}

}  // namespace
}  // namespace mpay::wallet
