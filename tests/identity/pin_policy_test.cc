#include "identity/pin_policy.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

namespace mpay::identity {
namespace {

constexpr CivilDate kBirthDate{1990, 1, 15};

// The error code for a PIN, or "ok". Also checks what every refusal must satisfy: field "pin" and a
// message that does not repeat the PIN.
std::string verdict(std::string_view pin, std::optional<CivilDate> birth_date = std::nullopt) {
  Status status = check_pin_policy(pin, birth_date);
  if (status.ok()) return "ok";
  EXPECT_EQ(status.error().field, "pin") << pin;
  if (!pin.empty()) {
    EXPECT_EQ(status.error().message.find(pin), std::string::npos)
        << "the error message repeats the PIN " << pin;
  }
  return status.error().code;
}

std::string six_digits(int a, int b, int c, int d, int e, int f) {
  return {static_cast<char>('0' + a), static_cast<char>('0' + b), static_cast<char>('0' + c),
          static_cast<char>('0' + d), static_cast<char>('0' + e), static_cast<char>('0' + f)};
}

int wrap(int digit) { return (digit % 10 + 10) % 10; }

// The too-simple PINs built family by family from the rules in pin_policy.h, independently of how
// pin_policy.cc recognises them.
std::set<std::string> too_simple_pins() {
  std::set<std::string> pins;
  for (int a = 0; a < 10; ++a) {
    for (int b = 0; b < 10; ++b) {
      pins.insert(six_digits(a, b, a, b, a, b));  // ababab, and aaaaaa when a == b
      pins.insert(six_digits(a, a, a, b, b, b));  // aaabbb
      for (int c = 0; c < 10; ++c) pins.insert(six_digits(a, b, c, a, b, c));  // abcabc
    }
    for (int step : {1, -1}) {
      auto at = [&](int i) { return wrap(a + step * i); };
      pins.insert(six_digits(at(0), at(1), at(2), at(3), at(4), at(5)));  // run
      pins.insert(six_digits(at(0), at(0), at(1), at(1), at(2), at(2)));  // aabbcc
      pins.insert(six_digits(at(0), at(1), at(2), at(2), at(1), at(0)));  // abccba
    }
  }
  for (const char* pin : {"147258", "258369", "369258", "147369", "159357", "357159", "159753",
                          "789456", "456123", "741852", "963852", "123789", "789123", "321654",
                          "521314", "201314", "131420"}) {
    pins.insert(pin);
  }
  return pins;
}

// --- pin_format ---

TEST(PinPolicy, RefusesAnythingButSixAsciiDigits) {
  for (std::string_view pin :
       {std::string_view(""), std::string_view("13579"), std::string_view("1357902"),
        std::string_view("13579a"), std::string_view("135 79"), std::string_view(" 135790"),
        std::string_view("-13579"), std::string_view("+13579"), std::string_view("13579\n"),
        std::string_view("1357\0" "9", 6),
        std::string_view("１３５７９０"),  // full-width digits: 18 bytes
        std::string_view("\xd9\xa1\xd9\xa3\xd9\xa5")}) {  // Arabic-Indic digits: 6 bytes
    EXPECT_EQ(verdict(pin), "pin_format") << pin;
  }
}

TEST(PinPolicy, FormatIsCheckedBeforeEverythingElse) {
  EXPECT_EQ(verdict("11111"), "pin_format");           // too simple if it were 6 digits
  EXPECT_EQ(verdict("9001150", kBirthDate), "pin_format");  // YYMMDD + one digit
}

// --- pin_too_simple ---

TEST(PinPolicy, RefusesOneDigitSixTimes) {
  for (char digit = '0'; digit <= '9'; ++digit) {
    EXPECT_EQ(verdict(std::string(6, digit)), "pin_too_simple") << digit;
  }
}

TEST(PinPolicy, RefusesRunsIncludingWraparound) {
  for (const char* pin : {"012345", "123456", "456789", "987654", "543210",  // straight
                          "789012", "890123", "901234", "109876", "210987",  // through 9-0
                          "678901", "098765", "321098"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

TEST(PinPolicy, ThereAreExactlyTwentyRuns) {
  int runs = 0;
  for (int start = 0; start < 10; ++start) {
    for (int step : {1, -1}) {
      auto at = [&](int i) { return wrap(start + step * i); };
      std::string pin = six_digits(at(0), at(1), at(2), at(3), at(4), at(5));
      EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
      ++runs;
    }
  }
  EXPECT_EQ(runs, 20);
  // Steps other than +-1 are no run.
  for (const char* pin : {"135790", "024680", "975319", "036925", "086420"}) {
    EXPECT_EQ(verdict(pin), "ok") << pin;
  }
}

TEST(PinPolicy, RefusesRepeatedPairsAndTriples) {
  for (const char* pin : {"121212", "101010", "909090", "123123", "168168", "520520", "907907"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

TEST(PinPolicy, RefusesTwoTriples) {
  for (const char* pin : {"111222", "666888", "000999", "999000", "555444"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

TEST(PinPolicy, RefusesSteppingPairsIncludingWraparound) {
  for (const char* pin : {"112233", "998877", "990011", "009988", "889900", "445566", "776655"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

TEST(PinPolicy, RefusesMirroredRunsIncludingWraparound) {
  for (const char* pin : {"123321", "987789", "901109", "109901", "456654"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

TEST(PinPolicy, RefusesTheListOfCommonPins) {
  for (const char* pin : {"147258", "258369", "369258", "147369", "159357", "357159", "159753",
                          "789456", "456123", "741852", "963852", "123789", "789123", "321654",
                          "521314", "201314", "131420"}) {
    EXPECT_EQ(verdict(pin), "pin_too_simple") << pin;
  }
}

// Near misses of every pattern: one digit off, or a step other than +-1, is a PIN users may choose.
TEST(PinPolicy, AcceptsNearMisses) {
  for (const char* pin : {
           "123457", "012346", "789013",  // runs broken by one digit
           "121213", "123124",            // repetitions broken
           "111122", "112222", "111223",  // not two triples
           "112244", "113355", "112211",  // pairs stepping by 2, or back and forth
           "124421", "135531", "122221",  // mirrored, but no run
           "147852", "258147", "521315",  // not on the list
           "739164", "602851", "480317",  // no pattern at all
       }) {
    EXPECT_EQ(verdict(pin), "ok") << pin;
  }
}

// Every one of the million PINs: refused as too simple exactly when one of the rules builds it.
TEST(PinPolicy, RefusesExactlyTheTooSimplePinsAmongAllPins) {
  const std::set<std::string> expected = too_simple_pins();
  size_t refused = 0;
  for (int value = 0; value < 1'000'000; ++value) {
    std::string pin = std::to_string(value);
    pin.insert(0, kPinLength - pin.size(), '0');
    bool too_simple = !check_pin_policy(pin, std::nullopt).ok();
    if (too_simple) ++refused;
    if (too_simple != (expected.count(pin) > 0)) {
      ADD_FAILURE() << pin << (too_simple ? " refused" : " accepted") << " against the rules";
    }
  }
  EXPECT_EQ(refused, expected.size());
}

// --- pin_matches_birth_date ---

TEST(PinPolicy, RefusesEveryWrittenFormOfTheBirthDate) {
  for (const char* pin : {"900115", "150190", "011590",  // YYMMDD DDMMYY MMDDYY
                          "199001", "011990",            // YYYYMM MMYYYY
                          "011501", "150115"}) {         // MMDDMM DDMMDD
    EXPECT_EQ(verdict(pin, kBirthDate), "pin_matches_birth_date") << pin;
    EXPECT_EQ(verdict(pin), "ok") << pin << " without a birth date";
    EXPECT_EQ(verdict(pin, CivilDate{1991, 2, 16}), "ok") << pin << " for another birth date";
  }
}

TEST(PinPolicy, BirthDateFormsKeepLeadingZeros) {
  constexpr CivilDate kBorn2005{2005, 3, 7};
  for (const char* pin : {"050307", "070305", "030705", "200503", "032005", "030703", "070307"}) {
    EXPECT_EQ(verdict(pin, kBorn2005), "pin_matches_birth_date") << pin;
  }
  // Without the zeros these are other numbers (and too short).
  EXPECT_EQ(verdict("5037", kBorn2005), "pin_format");
  EXPECT_EQ(verdict("537000", kBorn2005), "ok");
}

TEST(PinPolicy, BirthDateFormsUseTheFourDigitYearExactly) {
  constexpr CivilDate kBorn1900{1900, 12, 31};
  EXPECT_EQ(verdict("190012", kBorn1900), "pin_matches_birth_date");  // YYYYMM
  EXPECT_EQ(verdict("121900", kBorn1900), "pin_matches_birth_date");  // MMYYYY
  EXPECT_EQ(verdict("001231", kBorn1900), "pin_matches_birth_date");  // YYMMDD
  EXPECT_EQ(verdict("200012", kBorn1900), "ok");                      // another century
}

TEST(PinPolicy, AcceptsDateFormsThePolicyDoesNotList) {
  for (const char* pin : {"901501",     // YYDDMM
                          "159001",     // DDYYMM
                          "199015",     // YYYY + DD
                          "900116",     // the day after
                          "900215"}) {  // the month after
    EXPECT_EQ(verdict(pin, kBirthDate), "ok") << pin;
  }
}

TEST(PinPolicy, TooSimpleIsReportedBeforeBirthDate) {
  // Born 2012-12-12: YYMMDD is 121212, both a repeated pair and the birth date.
  EXPECT_EQ(verdict("121212", CivilDate{2012, 12, 12}), "pin_too_simple");
  // Born 1911-11-11: YYMMDD is 111111.
  EXPECT_EQ(verdict("111111", CivilDate{1911, 11, 11}), "pin_too_simple");
}

TEST(PinPolicy, IgnoresAnInvalidBirthDate) {
  // 1990-02-30 does not exist: its would-be forms are not refused.
  EXPECT_EQ(verdict("900230", CivilDate{1990, 2, 30}), "ok");
  EXPECT_EQ(verdict("300290", CivilDate{1990, 2, 30}), "ok");
  EXPECT_EQ(verdict("900115", CivilDate{}), "ok");
}

}  // namespace
}  // namespace mpay::identity
