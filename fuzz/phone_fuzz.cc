// Fuzz target: phone numbers. PhoneNumbers::parse_mobile on the input with a few default regions,
// and mask_phone on the input and on every number that parsed.
//
// Properties:
// - errors carry one of the documented codes;
// - an accepted number is consistent: e164 is "+" + country_code + national, and parsing the e164
//   again yields the same number (whatever the default region);
// - mask_phone never fails and never shows more than allowed: its output is "***" or
//   "+<country> <national with at least min(4, length) digits replaced by '*'>", every shown digit
//   in its place; for an accepted mobile number at least four digits are masked.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/phone.h"

namespace {

bool documented_error(const std::string& code) {
  for (std::string_view known :
       {"phone_empty", "phone_too_long", "phone_not_a_number", "phone_invalid_country_code",
        "phone_too_short", "phone_invalid", "phone_not_mobile"}) {
    if (code == known) return true;
  }
  return false;
}

size_t stars_in(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c == '*' ? 1 : 0;
  return n;
}

// Checks mask_phone(e164) against the rules above; returns the number of masked digits.
size_t check_mask(std::string_view e164) {
  std::string masked = mpay::mask_phone(e164);
  if (masked == "***") return e164.size();  // nothing shown
  MPAY_CHECK(masked.size() == e164.size() + 1, "a mask that is not one character per digit");
  MPAY_CHECK(e164.front() == '+' && masked.front() == '+', "a mask of something not E.164");
  size_t space = masked.find(' ');
  MPAY_CHECK(space != std::string::npos && space > 1, "a mask without its country code");
  std::string_view country = std::string_view(masked).substr(1, space - 1);
  MPAY_CHECK(e164.substr(1, country.size()) == country, "a mask with another country code");
  std::string_view national = e164.substr(1 + country.size());
  std::string_view shown = std::string_view(masked).substr(space + 1);
  MPAY_CHECK(shown.size() == national.size(), "a mask of another length");
  for (size_t i = 0; i < shown.size(); ++i) {
    MPAY_CHECK(shown[i] == '*' || shown[i] == national[i], "a mask shows a digit out of place");
  }
  size_t masked_count = stars_in(shown);
  MPAY_CHECK(masked_count >= std::min<size_t>(4, national.size()), "a mask shows too many digits");
  return masked_count;
}

void check_parse(const mpay::PhoneNumbers& numbers, std::string_view text) {
  auto parsed = numbers.parse_mobile(text);
  if (!parsed.ok()) {
    MPAY_CHECK(documented_error(parsed.error().code), "parse_mobile: undocumented error code");
    return;
  }
  MPAY_CHECK(parsed->e164 == "+" + std::to_string(parsed->country_code) + parsed->national,
             "e164 is not the country code and the national number");
  auto again = numbers.parse_mobile(parsed->e164);
  MPAY_CHECK(again.ok() && again->e164 == parsed->e164 && again->region == parsed->region,
             "an accepted number's e164 does not parse to itself");
  MPAY_CHECK(mpay::mask_phone(parsed->e164) != "***", "a valid E.164 number masks to \"***\"");
  MPAY_CHECK(check_mask(parsed->e164) >= 4, "a mobile number's mask shows more than allowed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Built once: libphonenumber's metadata load is slow, and a PhoneNumbers is immutable.
  static const mpay::PhoneNumbers kNumbers[] = {mpay::PhoneNumbers("CN"), mpay::PhoneNumbers("KE"),
                                                mpay::PhoneNumbers("US"), mpay::PhoneNumbers("IN")};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const mpay::PhoneNumbers& numbers : kNumbers) check_parse(numbers, text);
  check_mask(text);
  return 0;
}
