// How far back mpayd's start republishes payment-request changes for the webhook outbox.
#include <gtest/gtest.h>

#include "server/payment_webhooks.h"

namespace mpay::server {
namespace {

constexpr int64_t kHour = 3600LL * 1'000'000'000;
constexpr int64_t kNow = 1764072000LL * 1'000'000'000;

TEST(RepublishWindow, IsADayWhileTheOutboxIsRecent) {
  EXPECT_EQ(republish_window_ns(kNow, std::nullopt), 24 * kHour);  // nothing stored yet
  EXPECT_EQ(republish_window_ns(kNow, kNow - kHour / 60), 24 * kHour);
  EXPECT_EQ(republish_window_ns(kNow, kNow - 23 * kHour), 24 * kHour);
  EXPECT_EQ(republish_window_ns(kNow, kNow + kHour), 24 * kHour);  // a clock that went back
}

// Down for longer than a day after a crash: back to an hour before the newest stored event, so
// the events that were only in memory (the outbox's fresh lane) are sent too.
TEST(RepublishWindow, ReachesBackPastTheNewestStoredEventAfterALongStop) {
  EXPECT_EQ(republish_window_ns(kNow, kNow - 72 * kHour), 73 * kHour);
  EXPECT_EQ(republish_window_ns(kNow, kNow - 24 * kHour), 25 * kHour);
}

TEST(RepublishWindow, IsAtMostAWeek) {
  EXPECT_EQ(republish_window_ns(kNow, kNow - 30 * 24 * kHour), kRepublishWindowMax);
  EXPECT_EQ(kRepublishWindowMax, 7 * 24 * kHour);
}

}  // namespace
}  // namespace mpay::server
