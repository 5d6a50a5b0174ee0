#include "core/time_text.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <limits>
#include <random>
#include <string>

namespace mpay {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(TimeText, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(1'795'000'000 * kSecond + 123'456'789), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(format_rfc3339_ms(951'782'400 * kSecond), "2000-02-29T00:00:00.000Z");
}

TEST(TimeText, FormatsTimesBefore1970AndTheEndsOfTheRange) {
  EXPECT_EQ(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(-kSecond), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_rfc3339_ms(std::numeric_limits<int64_t>::max()), "2262-04-11T23:47:16.854Z");
  EXPECT_EQ(format_rfc3339_ms(std::numeric_limits<int64_t>::min()), "1677-09-21T00:12:43.145Z");
}

// Held against the C library's calendar (gmtime_r) over times spread across the whole range.
TEST(TimeText, AgreesWithGmtimeAcrossTheRange) {
  std::mt19937_64 random(20261204);
  std::uniform_int_distribution<int64_t> any_ns(std::numeric_limits<int64_t>::min(),
                                                std::numeric_limits<int64_t>::max());
  for (int i = 0; i < 20'000; ++i) {
    int64_t ns = any_ns(random);
    int64_t seconds = ns / kSecond;
    int64_t rest = ns % kSecond;
    if (rest < 0) {
      rest += kSecond;
      --seconds;
    }
    std::time_t time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    ASSERT_NE(gmtime_r(&time, &parts), nullptr);
    char expected[96];
    std::snprintf(expected, sizeof(expected), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                  parts.tm_min, parts.tm_sec, static_cast<int>(rest / 1'000'000));
    ASSERT_EQ(format_rfc3339_ms(ns), expected) << ns;
  }
}

TEST(TimeText, ParsesWhatItFormatsAndOffsets) {
  int64_t at = 1'795'000'000 * kSecond + 123'000'000;
  Result<int64_t> parsed = parse_rfc3339(format_rfc3339_ms(at));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, at);
  EXPECT_EQ(*parse_rfc3339("2026-11-18T19:06:40+08:00"), 1'795'000'000 * kSecond);
  EXPECT_EQ(*parse_rfc3339("2026-11-18T06:06:40-05:00"), 1'795'000'000 * kSecond);
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00.000000001Z"), 1);
}

TEST(TimeText, RefusesWhatIsNotAnRfc3339Time) {
  for (const char* text : {"", "2026-11-18", "2026-11-18 08:53:20Z", "2026-13-01T00:00:00Z",
                           "2026-02-29T00:00:00Z", "2026-11-18T24:00:00Z", "2026-11-18T08:53:20",
                           "2026-11-18T08:53:20.Z", "2026-11-18T08:53:20.1234567890Z",
                           "1969-12-31T23:59:59Z", "2026-11-18T08:53:20+8:00", "２026-11-18T08:53:20Z"}) {
    Result<int64_t> parsed = parse_rfc3339(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, "timestamp_invalid") << text;
  }
}

}  // namespace
}  // namespace mpay
