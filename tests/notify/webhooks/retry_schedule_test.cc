#include "notify/webhooks/retry_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mpay::notify::webhooks {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kHour = 3600 * kSecond;

TEST(RetrySchedule, CeilingDoublesFromTheBaseUpToTheCap) {
  SeededRandom random(1);
  RetrySchedule schedule(RetryOptions{}, random);  // 10 s, x2, cap 1 h
  EXPECT_EQ(schedule.delay_ceiling_ns(1), 10 * kSecond);
  EXPECT_EQ(schedule.delay_ceiling_ns(2), 20 * kSecond);
  EXPECT_EQ(schedule.delay_ceiling_ns(3), 40 * kSecond);
  EXPECT_EQ(schedule.delay_ceiling_ns(9), 2560 * kSecond);
  EXPECT_EQ(schedule.delay_ceiling_ns(10), kHour);  // 5120 s capped
  EXPECT_EQ(schedule.delay_ceiling_ns(1000000), kHour);  // no overflow on huge counts
}

TEST(RetrySchedule, FullJitterCoversTheWholeRangeAndNeverExceedsIt) {
  SeededRandom random(42);
  RetrySchedule schedule(RetryOptions{}, random);
  for (int64_t n : {1, 3, 12}) {
    int64_t ceiling = schedule.delay_ceiling_ns(n);
    int64_t lowest = ceiling;
    int64_t highest = 0;
    for (int i = 0; i < 2000; ++i) {
      int64_t delay = schedule.delay_ns(n);
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, ceiling);
      lowest = std::min(lowest, delay);
      highest = std::max(highest, delay);
    }
    // Full jitter: draws reach both ends of [0, ceiling], not a band around it.
    EXPECT_LT(lowest, ceiling / 20) << n;
    EXPECT_GT(highest, ceiling - ceiling / 20) << n;
  }
}

TEST(RetrySchedule, GivesUpWhenTheNextAttemptWouldLeaveTheWindow) {
  SeededRandom random(7);
  RetryOptions options;
  RetrySchedule schedule(options, random);
  int64_t first = 1000 * kHour;
  // Early on there is always a next attempt, inside the ceiling.
  std::optional<int64_t> next = schedule.next_attempt_at_ns(first, 1, first);
  ASSERT_TRUE(next.has_value());
  EXPECT_LE(*next - first, 10 * kSecond);
  // Past the window there is none, whatever the jitter draws.
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(schedule.next_attempt_at_ns(first, 40, first + options.window_ns + 1).has_value());
  }
  // Just inside the window a zero draw would still fit, a full one not: both outcomes occur.
  int64_t now = first + options.window_ns - kHour / 2;
  int kept = 0;
  for (int i = 0; i < 200; ++i) {
    std::optional<int64_t> at = schedule.next_attempt_at_ns(first, 40, now);
    if (at) {
      ++kept;
      EXPECT_LE(*at - first, options.window_ns);
    }
  }
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 200);
}

}  // namespace
}  // namespace mpay::notify::webhooks
