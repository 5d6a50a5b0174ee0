#include "identity/gb11643_internal.h"

#include <algorithm>
#include <array>

#include "core/check.h"

namespace mpay::identity::detail {

namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int two_digit_value(std::string_view two_digits) {
  return (two_digits[0] - '0') * 10 + (two_digits[1] - '0');
}

// GB/T 2260 province-level codes, by region group (1 North, 2 North-east, 3 East, 4 South-central,
// 5 South-west, 6 North-west). Source: GB/T 2260-2007 《中华人民共和国行政区划代码》 and the
// Ministry of Civil Affairs' yearly code list (www.mca.gov.cn, 行政区划代码), which have not
// changed at province level since Chongqing (50) was created in 1997.
constexpr std::array<int, 31> kMainlandProvinceCodes = {
    11, 12, 13, 14, 15,              // Beijing, Tianjin, Hebei, Shanxi, Inner Mongolia
    21, 22, 23,                      // Liaoning, Jilin, Heilongjiang
    31, 32, 33, 34, 35, 36, 37,      // Shanghai, Jiangsu, Zhejiang, Anhui, Fujian, Jiangxi, Shandong
    41, 42, 43, 44, 45, 46,          // Henan, Hubei, Hunan, Guangdong, Guangxi, Hainan
    50, 51, 52, 53, 54,              // Chongqing, Sichuan, Guizhou, Yunnan, Tibet
    61, 62, 63, 64, 65,              // Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang
};

// Address codes used only as a whole "xx0000":
// - 71 Taiwan: GB/T 2260 lists only 710000 for it.
// - 81 Hong Kong, 82 Macao, 83 Taiwan: the citizen identity numbers on the Residence Permit for
//   Hong Kong, Macao and Taiwan Residents (issued since 2018 under 《港澳台居民居住证申领发放办法》,
//   State Council General Office) use the address codes 810000, 820000 and 830000. 83 is not in
//   GB/T 2260; it exists only for these permits.
constexpr std::array<int, 4> kWholeProvinceOnlyCodes = {71, 81, 82, 83};

}  // namespace

char gb11643_check_character(std::string_view body) {
  MPAY_CHECK(body.size() == kCitizenNumberBodyLength && all_digits(body),
             "gb11643_check_character: the body must be 17 digits");
  // ISO 7064 MOD 11-2: position i (1 = leftmost of all 18) has weight 2^(18 - i) mod 11; the check
  // value c makes (sum of digit * weight) + c == 1 (mod 11), so c = (12 - sum mod 11) mod 11.
  constexpr std::array<int, kCitizenNumberBodyLength> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                                                  3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < body.size(); ++i) sum += (body[i] - '0') * kWeights[i];
  int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

bool is_mainland_province_code(std::string_view two_digits) {
  if (two_digits.size() != 2 || !all_digits(two_digits)) return false;
  int code = two_digit_value(two_digits);
  return std::find(kMainlandProvinceCodes.begin(), kMainlandProvinceCodes.end(), code) !=
         kMainlandProvinceCodes.end();
}

// Format-level rule, no table of the ~3,000 county codes (they change every year and old numbers
// keep old codes, so a table would wrongly refuse people):
// - mainland province (list above): the prefecture part (digits 3-4) is not "00", since every
//   county-level code in GB/T 2260 sits under a prefecture (01-70) or under the province's
//   "directly administered" group (90). The county part (digits 5-6) may be "00": prefecture-level
//   cities without counties carry their own code, e.g. 441900 Dongguan, 442000 Zhongshan,
//   620200 Jiayuguan, 460400 Danzhou.
// - 71, 81, 82, 83: exactly xx0000 (above).
// Anything else, including the leading 9 that the 2023 Foreign Permanent Resident ID Card uses
// ("公民身份号码首位为 1-8", National Immigration Administration, 2023), is refused.
bool is_citizen_address_code(std::string_view six_digits) {
  if (six_digits.size() != 6 || !all_digits(six_digits)) return false;
  std::string_view province = six_digits.substr(0, 2);
  std::string_view prefecture = six_digits.substr(2, 2);
  if (is_mainland_province_code(province)) return prefecture != "00";
  int code = two_digit_value(province);
  bool whole_only = std::find(kWholeProvinceOnlyCodes.begin(), kWholeProvinceOnlyCodes.end(),
                              code) != kWholeProvinceOnlyCodes.end();
  return whole_only && six_digits.substr(2) == "0000";
}

std::optional<CivilDate> parse_compact_date(std::string_view yyyymmdd) {
  if (yyyymmdd.size() != 8 || !all_digits(yyyymmdd)) return std::nullopt;
  CivilDate date{two_digit_value(yyyymmdd.substr(0, 2)) * 100 + two_digit_value(yyyymmdd.substr(2, 2)),
                 two_digit_value(yyyymmdd.substr(4, 2)), two_digit_value(yyyymmdd.substr(6, 2))};
  if (!date.is_valid()) return std::nullopt;
  return date;
}

bool is_plausible_birth_date(CivilDate birth_date, CivilDate today) {
  constexpr CivilDate kEarliest{1900, 1, 1};
  return birth_date.is_valid() && birth_date >= kEarliest && birth_date <= today;
}

}  // namespace mpay::identity::detail
