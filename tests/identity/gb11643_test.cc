#include "identity/gb11643_internal.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay::identity::detail {
namespace {

// The two examples printed in GB 11643-1999 itself, and hand-checked ones: with the weights
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, 11010519491231002 sums to 167; 167 mod 11 = 2 and
// (12 - 2) mod 11 = 10, written X. 44052418800101001 sums to 195; 195 mod 11 = 8, 12 - 8 = 4.
TEST(Gb11643CheckCharacter, StandardExamples) {
  EXPECT_EQ(gb11643_check_character("11010519491231002"), 'X');
  EXPECT_EQ(gb11643_check_character("44052418800101001"), '4');
}

TEST(Gb11643CheckCharacter, LastBodyDigitMovesTheCheckValue) {
  // The last body digit has weight 2: each step up lowers the check value by 2 (mod 11), so the
  // ten digits give ten different check values, X (10) among them.
  std::string seen;
  for (char last = '0'; last <= '9'; ++last) {
    std::string body = "1101051949123100";
    body.push_back(last);
    seen.push_back(gb11643_check_character(body));
  }
  EXPECT_EQ(seen, "31X8642097");
}

TEST(Gb11643CheckCharacterDeathTest, BodyMustBeSeventeenDigits) {
  EXPECT_DEATH(gb11643_check_character("1101051949123100"), "17 digits");
  EXPECT_DEATH(gb11643_check_character("1101051949123100X"), "17 digits");
}

TEST(MainlandProvinceCode, GbT2260ProvinceLevelCodes) {
  for (const char* code : {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33",
                           "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50",
                           "51", "52", "53", "54", "61", "62", "63", "64", "65"}) {
    EXPECT_TRUE(is_mainland_province_code(code)) << code;
  }
  for (const char* code : {"00", "10", "16", "20", "24", "30", "38", "40", "47", "49", "55",
                           "60", "66", "71", "81", "82", "83", "91", "99", "1", "111", "1a"}) {
    EXPECT_FALSE(is_mainland_province_code(code)) << code;
  }
}

TEST(CitizenAddressCode, Valid) {
  EXPECT_TRUE(is_citizen_address_code("110105"));  // Beijing, Chaoyang district
  EXPECT_TRUE(is_citizen_address_code("440524"));  // the standard's Guangdong example
  EXPECT_TRUE(is_citizen_address_code("441900"));  // Dongguan: a city without counties
  EXPECT_TRUE(is_citizen_address_code("429004"));  // Xiantao, directly under Hubei (90)
  EXPECT_TRUE(is_citizen_address_code("710000"));  // Taiwan, as in GB/T 2260
  EXPECT_TRUE(is_citizen_address_code("810000"));  // residence permits: Hong Kong,
  EXPECT_TRUE(is_citizen_address_code("820000"));  // Macao,
  EXPECT_TRUE(is_citizen_address_code("830000"));  // Taiwan
}

TEST(CitizenAddressCode, Invalid) {
  EXPECT_FALSE(is_citizen_address_code("110000"));  // a province alone
  EXPECT_FALSE(is_citizen_address_code("110005"));  // a county under no prefecture
  EXPECT_FALSE(is_citizen_address_code("160105"));  // no province 16
  EXPECT_FALSE(is_citizen_address_code("910105"));  // 9: foreigners' permanent residence cards
  EXPECT_FALSE(is_citizen_address_code("000000"));
  EXPECT_FALSE(is_citizen_address_code("710100"));
  EXPECT_FALSE(is_citizen_address_code("810100"));
  EXPECT_FALSE(is_citizen_address_code("830001"));
  EXPECT_FALSE(is_citizen_address_code("11010"));
  EXPECT_FALSE(is_citizen_address_code("11010a"));
}

TEST(CompactDate, Parses) {
  EXPECT_EQ(parse_compact_date("19491231"), (CivilDate{1949, 12, 31}));
  EXPECT_EQ(parse_compact_date("20000229"), (CivilDate{2000, 2, 29}));
  EXPECT_FALSE(parse_compact_date("19000229").has_value());
  EXPECT_FALSE(parse_compact_date("19901301").has_value());
  EXPECT_FALSE(parse_compact_date("19900000").has_value());
  EXPECT_FALSE(parse_compact_date("00000101").has_value());
  EXPECT_FALSE(parse_compact_date("1990010").has_value());
  EXPECT_FALSE(parse_compact_date("1990O101").has_value());
}

TEST(PlausibleBirthDate, From1900ToToday) {
  const CivilDate today{2025, 6, 1};
  EXPECT_TRUE(is_plausible_birth_date({1900, 1, 1}, today));
  EXPECT_TRUE(is_plausible_birth_date(today, today));
  EXPECT_FALSE(is_plausible_birth_date({1899, 12, 31}, today));
  EXPECT_FALSE(is_plausible_birth_date({2025, 6, 2}, today));
  EXPECT_FALSE(is_plausible_birth_date({2025, 2, 29}, today));
}

}  // namespace
}  // namespace mpay::identity::detail
