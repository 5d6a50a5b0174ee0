#include "identity/civil_date.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace mpay::identity {
namespace {

TEST(CivilDate, ValidDays) {
  EXPECT_TRUE((CivilDate{1990, 1, 15}.is_valid()));
  EXPECT_TRUE((CivilDate{2024, 12, 31}.is_valid()));
  EXPECT_TRUE((CivilDate{1, 1, 1}.is_valid()));
  EXPECT_TRUE((CivilDate{9999, 12, 31}.is_valid()));
}

TEST(CivilDate, InvalidDays) {
  EXPECT_FALSE((CivilDate{}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, 0, 1}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, 13, 1}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, 1, 0}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, 1, 32}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, 4, 31}.is_valid()));
  EXPECT_FALSE((CivilDate{0, 1, 1}.is_valid()));
  EXPECT_FALSE((CivilDate{10000, 1, 1}.is_valid()));
  EXPECT_FALSE((CivilDate{-5, 1, 1}.is_valid()));
  EXPECT_FALSE((CivilDate{1990, -1, 1}.is_valid()));
}

TEST(CivilDate, LeapDays) {
  EXPECT_TRUE((CivilDate{2000, 2, 29}.is_valid()));   // divisible by 400
  EXPECT_TRUE((CivilDate{2024, 2, 29}.is_valid()));   // divisible by 4
  EXPECT_FALSE((CivilDate{1900, 2, 29}.is_valid()));  // a century not divisible by 400
  EXPECT_FALSE((CivilDate{2023, 2, 29}.is_valid()));
  EXPECT_FALSE((CivilDate{2024, 2, 30}.is_valid()));
}

TEST(CivilDate, ComparesChronologically) {
  EXPECT_LT((CivilDate{1999, 12, 31}), (CivilDate{2000, 1, 1}));
  EXPECT_LT((CivilDate{2000, 1, 31}), (CivilDate{2000, 2, 1}));
  EXPECT_LT((CivilDate{2000, 2, 1}), (CivilDate{2000, 2, 2}));
  EXPECT_EQ((CivilDate{2000, 2, 2}), (CivilDate{2000, 2, 2}));
}

TEST(CivilDate, ToString) {
  EXPECT_EQ((CivilDate{1990, 1, 5}.to_string()), "1990-01-05");
  EXPECT_EQ((CivilDate{1, 2, 3}.to_string()), "0001-02-03");
  EXPECT_EQ((CivilDate{1990, 2, 30}.to_string()), "invalid-date");
}

TEST(CivilDate, FromUnixNanosecondsInChina) {
  constexpr int64_t kSecond = 1'000'000'000;
  // 2024-02-28T16:00:00Z is 2024-02-29 00:00 in Beijing; one second earlier is still the 28th.
  const int64_t midnight_beijing = int64_t{1709136000} * kSecond;
  EXPECT_EQ(civil_date_from_unix_ns(midnight_beijing, kChinaStandardTimeOffsetMinutes),
            (CivilDate{2024, 2, 29}));
  EXPECT_EQ(civil_date_from_unix_ns(midnight_beijing - kSecond, kChinaStandardTimeOffsetMinutes),
            (CivilDate{2024, 2, 28}));
  EXPECT_EQ(civil_date_from_unix_ns(midnight_beijing, 0), (CivilDate{2024, 2, 28}));
  EXPECT_EQ(civil_date_from_unix_ns(0, 0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(civil_date_from_unix_ns(-1, 0), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(civil_date_from_unix_ns(0, -60), (CivilDate{1969, 12, 31}));
}

TEST(CivilDate, FromUnixNanosecondsAtTheEndsOfInt64) {
  EXPECT_TRUE(civil_date_from_unix_ns(INT64_MIN, -24 * 60).is_valid());
  EXPECT_TRUE(civil_date_from_unix_ns(INT64_MAX, 24 * 60).is_valid());
}

TEST(CivilDateDeathTest, OffsetOverADayIsAProgrammerError) {
  EXPECT_DEATH(civil_date_from_unix_ns(0, 24 * 60 + 1), "UTC offset");
}

}  // namespace
}  // namespace mpay::identity
