#include "core/phone.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace mpay {
namespace {

// The error code of a parse that must fail; "<ok +...>" if it unexpectedly succeeded.
std::string error_code(const PhoneNumbers& phones, std::string_view text) {
  Result<PhoneNumber> result = phones.parse_mobile(text);
  if (result.ok()) return "<ok " + result->e164 + ">";
  EXPECT_EQ(result.error().field, "phone") << text;
  return result.error().code;
}

TEST(ParseMobile, DefaultRegionIsChina) {
  EXPECT_EQ(PhoneNumbers().default_region(), "CN");
  EXPECT_EQ(PhoneNumbers("GB").default_region(), "GB");
}

TEST(ParseMobile, ChineseMobileInCommonWrittenForms) {
  PhoneNumbers phones;
  const char* forms[] = {
      "13800138000",         "138 0013 8000",      "138-0013-8000",      "138 0013-8000",
      "+8613800138000",      "+86 138 0013 8000",  "+86-138-0013-8000",  "+86 13800138000",
      "008613800138000",     "0086 138 0013 8000", "0086-138-0013-8000", "(+86) 138 0013 8000",
      "+86 (138) 0013 8000",
  };
  for (const char* text : forms) {
    Result<PhoneNumber> phone = phones.parse_mobile(text);
    ASSERT_TRUE(phone.ok()) << text << ": " << phone.error().code;
    EXPECT_EQ(phone->e164, "+8613800138000") << text;
    EXPECT_EQ(phone->country_code, 86) << text;
    EXPECT_EQ(phone->national, "13800138000") << text;
    EXPECT_EQ(phone->region, "CN") << text;
  }
}

TEST(ParseMobile, OtherChineseMobilePrefixes) {
  PhoneNumbers phones;
  for (const char* text : {"139 1234 5678", "150 1234 5678", "186 1234 5678"}) {
    Result<PhoneNumber> phone = phones.parse_mobile(text);
    ASSERT_TRUE(phone.ok()) << text << ": " << phone.error().code;
    std::string digits;
    for (const char* c = text; *c; ++c) {
      if (*c != ' ') digits += *c;
    }
    EXPECT_EQ(phone->e164, "+86" + digits);
  }
}

TEST(ParseMobile, ChineseFixedLineAndTollFreeAreNotMobile) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "010 6552 9988"), "phone_not_mobile");  // Beijing fixed line
  EXPECT_EQ(error_code(phones, "010-65529988"), "phone_not_mobile");
  EXPECT_EQ(error_code(phones, "+86 10 6552 9988"), "phone_not_mobile");
  EXPECT_EQ(error_code(phones, "800 820 8820"), "phone_not_mobile");  // toll-free
}

TEST(ParseMobile, GarbageIsNotANumber) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "hello"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "!!!"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "---"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "\xE6\x89\x8B\xE6\x9C\xBA"), "phone_not_a_number");  // "手机"
  EXPECT_EQ(error_code(phones, "+86"), "phone_not_a_number");
}

TEST(ParseMobile, LettersAreRejectedNotReadAsKeypadDigits) {
  // libphonenumber alone would read "OO" as 66 and accept a different, valid mobile number.
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "138OO138OOO"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "1380013800O"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "CALL13800138000"), "phone_not_a_number");
}

TEST(ParseMobile, ExtensionsAreRejected) {
  // An extension would otherwise be dropped silently from the E.164 form.
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "13800138000 ext 12"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "13800138000 x12"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "13800138000;ext=12"), "phone_not_a_number");
  EXPECT_EQ(error_code(phones, "13800138000#12"), "phone_invalid");
}

TEST(ParseMobile, EmptyAndTooLongText) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, ""), "phone_empty");
  // 64 characters is the limit: padded to exactly 64 the number is still read, at 65 it is not.
  std::string padded_to_64 = std::string(64 - 11, ' ') + "13800138000";
  ASSERT_EQ(padded_to_64.size(), 64u);
  Result<PhoneNumber> at_limit = phones.parse_mobile(padded_to_64);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().code;
  EXPECT_EQ(at_limit->e164, "+8613800138000");
  EXPECT_EQ(error_code(phones, " " + padded_to_64), "phone_too_long");
  EXPECT_EQ(error_code(phones, std::string(1000, '1')), "phone_too_long");
}

TEST(ParseMobile, TooShortForAMobileNumber) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "1380013"), "phone_too_short");     // 7 of 11 digits
  EXPECT_EQ(error_code(phones, "1380013800"), "phone_too_short");  // 10 of 11 digits
  EXPECT_EQ(error_code(phones, "+86 138 0013 800"), "phone_too_short");
  EXPECT_EQ(error_code(phones, "+86 12"), "phone_too_short");
  EXPECT_EQ(error_code(phones, "+86 1"), "phone_too_short");
  EXPECT_EQ(error_code(phones, "0086"), "phone_too_short");
}

TEST(ParseMobile, TooLongForAMobileNumber) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "138001380001"), "phone_too_long");  // 12 digits
  EXPECT_EQ(error_code(phones, "+86 138 0013 80001"), "phone_too_long");
}

TEST(ParseMobile, RightLengthButNotAValidNumber) {
  PhoneNumbers phones;
  // Eleven digits, but no Chinese number range starts with 12.
  EXPECT_EQ(error_code(phones, "12345678901"), "phone_invalid");
  EXPECT_EQ(error_code(phones, "+86 12345678901"), "phone_invalid");
}

TEST(ParseMobile, InvalidCountryCode) {
  PhoneNumbers phones;
  EXPECT_EQ(error_code(phones, "+999 1234567"), "phone_invalid_country_code");
  EXPECT_EQ(error_code(phones, "00999 1234567"), "phone_invalid_country_code");
  EXPECT_EQ(error_code(phones, "+0 123456789"), "phone_invalid_country_code");
  // An unknown default region cannot place a number written without a country code...
  PhoneNumbers unknown_region("XX");
  EXPECT_EQ(error_code(unknown_region, "13800138000"), "phone_invalid_country_code");
  // ...but an international form needs no default region.
  Result<PhoneNumber> international = unknown_region.parse_mobile("+86 138 0013 8000");
  ASSERT_TRUE(international.ok()) << international.error().code;
  EXPECT_EQ(international->e164, "+8613800138000");
}

TEST(ParseMobile, BritishDefaultRegion) {
  PhoneNumbers phones("GB");
  Result<PhoneNumber> phone = phones.parse_mobile("07400 123456");
  ASSERT_TRUE(phone.ok()) << phone.error().code;
  EXPECT_EQ(phone->e164, "+447400123456");
  EXPECT_EQ(phone->country_code, 44);
  EXPECT_EQ(phone->national, "7400123456");
  EXPECT_EQ(phone->region, "GB");
  // The national trunk prefix 0 is regional: "07400 123456" means something else from China.
  Result<PhoneNumber> from_china = PhoneNumbers("CN").parse_mobile("07400 123456");
  EXPECT_FALSE(from_china.ok()) << from_china->e164;
  EXPECT_EQ(error_code(phones, "020 7946 0000"), "phone_not_mobile");  // London fixed line
  EXPECT_EQ(error_code(phones, "07400 12345"), "phone_too_short");
  // A Chinese mobile written nationally does not parse as British...
  EXPECT_EQ(error_code(phones, "13800138000"), "phone_too_long");
  // ...but written internationally it does, whatever the default region.
  Result<PhoneNumber> chinese = phones.parse_mobile("+86 138 0013 8000");
  ASSERT_TRUE(chinese.ok()) << chinese.error().code;
  EXPECT_EQ(chinese->e164, "+8613800138000");
  EXPECT_EQ(chinese->region, "CN");
}

TEST(ParseMobile, OtherRegions) {
  Result<PhoneNumber> kenya = PhoneNumbers("KE").parse_mobile("0712 345678");
  ASSERT_TRUE(kenya.ok()) << kenya.error().code;
  EXPECT_EQ(kenya->e164, "+254712345678");
  EXPECT_EQ(kenya->country_code, 254);
  EXPECT_EQ(kenya->region, "KE");

  Result<PhoneNumber> india = PhoneNumbers("IN").parse_mobile("98123 45678");
  ASSERT_TRUE(india.ok()) << india.error().code;
  EXPECT_EQ(india->e164, "+919812345678");
  EXPECT_EQ(india->country_code, 91);

  // North American numbers do not say whether they are mobile; libphonenumber reports
  // FIXED_LINE_OR_MOBILE and the platform accepts them.
  Result<PhoneNumber> us = PhoneNumbers().parse_mobile("+1 650 253 0000");
  ASSERT_TRUE(us.ok()) << us.error().code;
  EXPECT_EQ(us->e164, "+16502530000");
  EXPECT_EQ(us->country_code, 1);
  EXPECT_EQ(us->region, "US");
}

TEST(ParseMobile, SharedBetweenThreads) {
  const PhoneNumbers phones;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&phones, &failed = failures[t]] {
      for (int i = 0; i < 200; ++i) {
        Result<PhoneNumber> phone = phones.parse_mobile("+86 138 0013 8000");
        if (!phone.ok() || phone->e164 != "+8613800138000") ++failed;
        if (phones.parse_mobile("010 6552 9988").ok()) ++failed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int failed : failures) EXPECT_EQ(failed, 0);
}

TEST(MaskPhone, ChineseMobileKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_phone("+8613812345678"), "+86 138****5678");
  EXPECT_EQ(mask_phone("+8613800138000"), "+86 138****8000");
  Result<PhoneNumber> parsed = PhoneNumbers().parse_mobile("138 1234 5678");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(mask_phone(parsed->e164), "+86 138****5678");
}

TEST(MaskPhone, LongNationalNumbersMaskMoreThanFour) {
  // Over eleven national digits, still only the first three and last four are shown.
  EXPECT_EQ(mask_phone("+86123456789012"), "+86 123*****9012");    // 12 national digits
  EXPECT_EQ(mask_phone("+861234567890123"), "+86 123******0123");  // 13
}

// Checks the masking contract on `e164` whose country calling code is `country`: "+<country> ",
// then the national digits with at least four (and, when the number is short, exactly four) masked
// as one run, at most the first three and the last four shown.
void expect_masked(const std::string& e164, const std::string& country) {
  SCOPED_TRACE(e164);
  std::string masked = mask_phone(e164);
  std::string prefix = "+" + country + " ";
  ASSERT_EQ(masked.substr(0, prefix.size()), prefix) << masked;
  std::string national = e164.substr(1 + country.size());
  std::string shown = masked.substr(prefix.size());
  ASSERT_EQ(shown.size(), national.size()) << masked;
  size_t first_star = shown.find('*');
  size_t last_star = shown.rfind('*');
  ASSERT_NE(first_star, std::string::npos) << masked;
  size_t stars = last_star - first_star + 1;
  EXPECT_EQ(std::count(shown.begin(), shown.end(), '*'), static_cast<long>(stars))
      << "masked digits form one run: " << masked;
  // Showing three plus four leaves national.size() - 7 masked, but never fewer than four.
  size_t beyond_seven = national.size() > 7 ? national.size() - 7 : 0;
  size_t expected_stars = std::min(national.size(), std::max<size_t>(4, beyond_seven));
  EXPECT_EQ(stars, expected_stars) << masked;
  EXPECT_LE(first_star, 3u) << "at most three leading digits shown: " << masked;
  EXPECT_LE(shown.size() - last_star - 1, 4u) << "at most four trailing digits shown: " << masked;
  EXPECT_EQ(shown.substr(0, first_star), national.substr(0, first_star)) << masked;
  EXPECT_EQ(shown.substr(last_star + 1), national.substr(last_star + 1)) << masked;
}

TEST(MaskPhone, OtherCountriesMaskAtLeastFourDigits) {
  expect_masked("+16502530000", "1");       // US, 10 national digits
  expect_masked("+447400123456", "44");     // GB, 10
  expect_masked("+85251234578", "852");     // HK, 8
  expect_masked("+254712345678", "254");    // KE, 9
  expect_masked("+919812345678", "91");     // IN, 10
  expect_masked("+6581234567", "65");       // SG, 8
  expect_masked("+79161234567", "7");       // RU, 10
  expect_masked("+8613812345678", "86");    // CN, 11
  expect_masked("+86123456789012", "86");   // 12
  expect_masked("+861234567890123", "86");  // 13
}

TEST(MaskPhone, TheThreeDigitCountryCodeIsNotSplit) {
  EXPECT_EQ(mask_phone("+85251234578"), "+852 51****78");
  EXPECT_EQ(mask_phone("+254712345678").substr(0, 5), "+254 ");
  EXPECT_EQ(mask_phone("+16502530000").substr(0, 3), "+1 ");
}

TEST(MaskPhone, ShortNumbersStillMaskFourDigits) {
  // Five and six national digits keep one and two digits; four or fewer are masked entirely.
  expect_masked("+8612345", "86");
  expect_masked("+86123456", "86");
  expect_masked("+861234567", "86");
  EXPECT_EQ(mask_phone("+861234"), "+86 ****");
  EXPECT_EQ(mask_phone("+86123"), "+86 ***");
}

TEST(MaskPhone, AnythingButE164MasksToStars) {
  for (const char* text :
       {"", "+", "+8", "13812345678", "8613812345678", "+86 138 1234 5678", "+86-13812345678",
        "++8613812345678", "+86138abcd5678", " +8613812345678", "+8613812345678 ", "+0086138123456",
        "+0011234567890", "+999123456789", "+\xEF\xBC\x98\xEF\xBC\x96"}) {
    EXPECT_EQ(mask_phone(text), "***") << "[" << text << "]";
  }
}

}  // namespace
}  // namespace mpay
