#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>

namespace mpay {
namespace {

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(1'000);
  EXPECT_EQ(clock.now_ns(), 1'000);
  EXPECT_EQ(clock.now_ns(), 1'000);
  clock.advance_ns(500);
  EXPECT_EQ(clock.now_ns(), 1'500);
  clock.advance_ns(-2'000);
  EXPECT_EQ(clock.now_ns(), -500);
  clock.set_ns(1'704'067'200'000'000'000);
  EXPECT_EQ(clock.now_ns(), 1'704'067'200'000'000'000);
}

TEST(ManualClock, UsableThroughTheClockInterface) {
  ManualClock manual(42);
  Clock& clock = manual;
  EXPECT_EQ(clock.now_ns(), 42);
}

TEST(SystemClock, ReadsWallClockNanosecondsSinceTheEpoch) {
  SystemClock clock;
  int64_t before = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  int64_t now = clock.now_ns();
  int64_t after = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
  EXPECT_GT(now, int64_t{1'577'836'800} * 1'000'000'000) << "after 2020-01-01: nanoseconds, not ms";
}

}  // namespace
}  // namespace mpay
