// Phone numbers: parsing to E.164 with libphonenumber, mobile-only policy, and masking for display.
//
// A PhoneNumbers object is immutable after construction and safe to share between threads
// (libphonenumber's PhoneNumberUtil is a thread-safe singleton).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay {

struct PhoneNumber {
  std::string e164;         // "+8613800138000"
  int country_code = 0;     // 86
  std::string national;     // "13800138000"
  std::string region;       // "CN"
};

class PhoneNumbers {
 public:
  // default_region is an ISO 3166-1 alpha-2 code used for numbers written without "+<country>".
  explicit PhoneNumbers(std::string default_region = "CN");

  // Parses any common written form ("138 0013 8000", "+86 138-0013-8000", "008613800138000").
  // Errors: phone_empty, phone_too_long (over 64 characters, or more digits than a mobile number of
  // its region has), phone_not_a_number (including any letter: no vanity numbers, no "ext"),
  // phone_invalid_country_code, phone_too_short (fewer digits than a mobile number of its region),
  // phone_invalid (not a valid number for its region, or an extension such as "#12"),
  // phone_not_mobile (valid, but a fixed line, toll-free, premium or other non-mobile number).
  Result<PhoneNumber> parse_mobile(std::string_view text) const;

  const std::string& default_region() const { return default_region_; }

 private:
  std::string default_region_;
};

// "+86 138****5678": country code, the first three and the last four national digits, the middle
// masked with '*'. At least four digits are always masked, so short numbers keep fewer.
// Input must be E.164 ("+<digits>"); anything else masks to "***".
std::string mask_phone(std::string_view e164);

}  // namespace mpay
