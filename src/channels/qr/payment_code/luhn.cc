#include "channels/qr/payment_code/luhn.h"

#include "core/check.h"

namespace mpay::qr {

char luhn_check_digit(std::string_view digits) {
  MPAY_CHECK(!digits.empty(), "luhn_check_digit: no digits");
  int sum = 0;
  bool doubled = true;  // the rightmost payload digit sits next to the check digit: it is doubled
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    MPAY_CHECK(c >= '0' && c <= '9', "luhn_check_digit: not a digit");
    int value = c - '0';
    if (doubled) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    doubled = !doubled;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool luhn_valid(std::string_view digits_with_check) {
  if (digits_with_check.size() < 2) return false;
  return luhn_check_digit(digits_with_check.substr(0, digits_with_check.size() - 1)) ==
         digits_with_check.back();
}

}  // namespace mpay::qr
