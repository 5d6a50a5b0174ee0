#include "payments/wallet/spending_tracker.h"

#include <gtest/gtest.h>

namespace mpay::wallet {
namespace {

constexpr int64_t kMinute = 60'000'000'000;
constexpr int64_t kHour = 60 * kMinute;
// 2026-11-30T15:59:00Z = 23:59 on Nov 30 in UTC+8.
constexpr int64_t kNov30LocalBeforeMidnight = 1'796'054'340LL * 1'000'000'000;

const KycLimits kLimits{1'000, 2'500, 4'000, 100'000};
const UserId kUser(Id128{1, 2});
const UserId kOther(Id128{3, 4});

TEST(SpendingTracker, DaysAndMonthsFollowTheLocalCalendar) {
  SpendingTracker tracker(8 * 60);
  EXPECT_EQ(tracker.day_of(kNov30LocalBeforeMidnight) + 1, tracker.day_of(kNov30LocalBeforeMidnight + kMinute));
  EXPECT_EQ(tracker.month_of(kNov30LocalBeforeMidnight) + 1,
            tracker.month_of(kNov30LocalBeforeMidnight + kMinute));
  // Dec 1 00:00 local is Nov 30 16:00 UTC.
  EXPECT_EQ(tracker.month_start_ns(kNov30LocalBeforeMidnight + kMinute), kNov30LocalBeforeMidnight + kMinute);
}

TEST(SpendingTracker, EachLimitRefusesWithItsCodeAndReservesNothing) {
  SpendingTracker tracker(8 * 60);
  int64_t now = kNov30LocalBeforeMidnight - 2 * kHour;
  EXPECT_EQ(tracker.reserve(kUser, 1'001, kLimits, now).error().code, "limit_per_payment_exceeded");
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, now).ok());
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, now).ok());
  EXPECT_EQ(tracker.reserve(kUser, 501, kLimits, now).error().code, "limit_daily_exceeded");
  EXPECT_EQ(tracker.spending(kUser, now).today_minor, 2'000);
  ASSERT_TRUE(tracker.reserve(kUser, 500, kLimits, now).ok());
  EXPECT_EQ(tracker.spending(kOther, now).today_minor, 0);

  // The next day the daily use starts over but the month's does not.
  int64_t next_day = now - 48 * kHour;  // reserve two days earlier, then look a day later
  SpendingTracker earlier(8 * 60);
  ASSERT_TRUE(earlier.reserve(kUser, 1'000, kLimits, next_day).ok());
  EXPECT_EQ(earlier.spending(kUser, next_day + 24 * kHour).today_minor, 0);
  EXPECT_EQ(earlier.spending(kUser, next_day + 24 * kHour).this_month_minor, 1'000);
}

TEST(SpendingTracker, MonthlyLimitAcrossDaysAndReset) {
  SpendingTracker tracker(8 * 60);
  int64_t day1 = kNov30LocalBeforeMidnight - 3 * 24 * kHour;
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, day1).ok());
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, day1).ok());
  int64_t day2 = day1 + 24 * kHour;
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, day2).ok());
  ASSERT_TRUE(tracker.reserve(kUser, 1'000, kLimits, day2).ok());
  EXPECT_EQ(tracker.reserve(kUser, 1, kLimits, day2 + 24 * kHour).error().code, "limit_monthly_exceeded");
  // December: a new month.
  EXPECT_TRUE(tracker.reserve(kUser, 1'000, kLimits, kNov30LocalBeforeMidnight + kMinute).ok());
  EXPECT_EQ(tracker.spending(kUser, kNov30LocalBeforeMidnight + kMinute).this_month_minor, 1'000);
}

TEST(SpendingTracker, ReleaseGivesBackOnlyWithinThePeriod) {
  SpendingTracker tracker(8 * 60);
  int64_t before = kNov30LocalBeforeMidnight;
  ASSERT_TRUE(tracker.reserve(kUser, 800, kLimits, before).ok());
  tracker.release(kUser, 800, before);
  EXPECT_EQ(tracker.spending(kUser, before).today_minor, 0);
  ASSERT_TRUE(tracker.reserve(kUser, 800, kLimits, before).ok());
  int64_t after = before + kMinute;  // a new day and month
  EXPECT_EQ(tracker.spending(kUser, after).today_minor, 0);
  tracker.release(kUser, 800, before);  // belongs to a period that is over: nothing to undo
  EXPECT_EQ(tracker.spending(kUser, after).today_minor, 0);
  EXPECT_EQ(tracker.spending(kUser, after).this_month_minor, 0);
}

TEST(SpendingTracker, LoadAddsPastPaymentsOfThisPeriodOnce) {
  SpendingTracker tracker(8 * 60);
  int64_t now = kNov30LocalBeforeMidnight;
  EXPECT_FALSE(tracker.is_loaded(kUser));
  tracker.load(kUser, {{700, now - kHour}, {300, now - 48 * kHour}, {999, now - 40 * 24 * kHour}}, now);
  EXPECT_TRUE(tracker.is_loaded(kUser));
  EXPECT_EQ(tracker.spending(kUser, now).today_minor, 700);
  EXPECT_EQ(tracker.spending(kUser, now).this_month_minor, 1'000);
  tracker.load(kUser, {{700, now - kHour}}, now);  // a second load changes nothing
  EXPECT_EQ(tracker.spending(kUser, now).today_minor, 700);
}

}  // namespace
}  // namespace mpay::wallet
