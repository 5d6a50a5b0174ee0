#include "core/phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>

namespace mpay {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

constexpr size_t kPhoneTextLengthMax = 64;

// The country calling codes are 1 to 3 digits; libphonenumber knows which prefix is valid.
int country_code_length(std::string_view digits) {
  if (digits.empty() || digits.front() == '0') return 0;  // no calling code starts with 0
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  for (int length = 1; length <= 3 && length < static_cast<int>(digits.size()); ++length) {
    int code = std::stoi(std::string(digits.substr(0, length)));
    std::string region;
    util.GetRegionCodeForCountryCode(code, &region);
    if (region != "ZZ") return length;
  }
  return 0;
}

}  // namespace

PhoneNumbers::PhoneNumbers(std::string default_region) : default_region_(std::move(default_region)) {}

Result<PhoneNumber> PhoneNumbers::parse_mobile(std::string_view text) const {
  if (text.empty()) return Error("phone_empty", "phone number is empty", "phone");
  if (text.size() > kPhoneTextLengthMax) {
    return Error("phone_too_long", "phone number is too long", "phone");
  }
  // libphonenumber reads letters as keypad digits ("138OO138OOO" becomes +8613866138666) and
  // "x12" as an extension; either would send money to a number the user did not type.
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
    return Error("phone_not_a_number", "phone number must not contain letters", "phone");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber parsed;
  PhoneNumberUtil::ErrorType error = util.Parse(std::string(text), default_region_, &parsed);
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Error("phone_invalid_country_code", "unknown country calling code", "phone");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Error("phone_too_short", "phone number is too short", "phone");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Error("phone_too_long", "phone number is too long", "phone");
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      return Error("phone_not_a_number", "not a phone number", "phone");
  }
  if (parsed.has_extension()) {
    return Error("phone_invalid", "a mobile number has no extension", "phone");
  }
  if (!util.IsValidNumber(parsed)) {
    // Name the reason when the digit count alone rules out a mobile number of that region.
    switch (util.IsPossibleNumberForTypeWithReason(parsed, PhoneNumberUtil::MOBILE)) {
      case PhoneNumberUtil::TOO_SHORT:
        return Error("phone_too_short", "phone number is too short", "phone");
      case PhoneNumberUtil::TOO_LONG:
        return Error("phone_too_long", "phone number is too long", "phone");
      default:
        return Error("phone_invalid", "not a valid phone number for its region", "phone");
    }
  }
  PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(parsed);
  if (type != PhoneNumberUtil::MOBILE && type != PhoneNumberUtil::FIXED_LINE_OR_MOBILE) {
    return Error("phone_not_mobile", "phone number is not a mobile number", "phone");
  }
  PhoneNumber result;
  util.Format(parsed, PhoneNumberUtil::E164, &result.e164);
  util.GetNationalSignificantNumber(parsed, &result.national);
  util.GetRegionCodeForNumber(parsed, &result.region);
  result.country_code = parsed.country_code();
  return result;
}

std::string mask_phone(std::string_view e164) {
  if (e164.size() < 4 || e164.front() != '+' ||
      !std::all_of(e164.begin() + 1, e164.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "***";
  }
  std::string_view digits = e164.substr(1);
  int code_length = country_code_length(digits);
  if (code_length == 0) return "***";
  std::string_view country = digits.substr(0, code_length);
  std::string_view national = digits.substr(code_length);
  // Mask at least four digits (more on long numbers): "+86 138****5678", "+852 51****78".
  size_t over_seven = national.size() > 7 ? national.size() - 7 : 0;
  size_t masked_count = std::min(national.size(), std::max<size_t>(4, over_seven));
  size_t remaining = national.size() - masked_count;
  size_t keep_tail = std::min<size_t>(4, (remaining + 1) / 2);
  size_t keep_head = remaining - keep_tail;
  std::string masked = "+";
  masked += country;
  masked += ' ';
  masked += national.substr(0, keep_head);
  masked.append(national.size() - keep_head - keep_tail, '*');
  masked += national.substr(national.size() - keep_tail);
  return masked;
}

}  // namespace mpay
