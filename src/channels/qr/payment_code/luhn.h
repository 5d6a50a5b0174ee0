// The Luhn check digit (ISO/IEC 7812-1, as on payment cards): catches every single-digit typo and
// most swaps of adjacent digits, so a mistyped payment code is told apart from a wrong one.
//
// Threads: pure functions. Failure: a non-digit in the input is a programmer error (abort): callers
// check the text is all digits first.
#pragma once

#include <string_view>

namespace mpay::qr {

// The digit to append to `digits` (one or more decimal digits) so that the whole passes the check.
char luhn_check_digit(std::string_view digits);

// True when the last digit of `digits_with_check` is the Luhn digit of the ones before it.
bool luhn_valid(std::string_view digits_with_check);

}  // namespace mpay::qr
