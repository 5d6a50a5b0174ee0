// The payment PIN policy: which 6-digit PINs a user may choose. Checked when a PIN is set or
// changed, never when one is entered (a PIN chosen under an older policy still works).
//
// check_pin_policy() returns ok or one error, field "pin", checked in this order:
//   pin_format              not exactly 6 ASCII digits
//   pin_too_simple          a pattern guessed early by anyone (see below)
//   pin_matches_birth_date  a way of writing the user's birth date, when it is known
// Error messages never contain the PIN. Pure function, thread-safe.
//
// pin_too_simple: with d1..d6 the digits,
//   - one digit six times: 000000, 888888;
//   - a run stepping by +1 or -1, wrapping from 9 to 0 and back (counting on a dial, as users do):
//     012345, 123456, 456789, 987654, 543210, and with wraparound 789012, 890123, 901234, 109876,
//     210987 (20 PINs);
//   - a repeated pair or triple: ababab (121212, 101010), abcabc (123123, 168168, 520520);
//   - two triples: aaabbb (111222, 666888, 000999);
//   - three pairs stepping by the same +1 or -1, wrapping: aabbcc (112233, 998877, 990011);
//   - a run mirrored: abccba where a, b, c step by +1 or -1 (123321, 987789);
//   - a short list of PINs that are common although they follow none of the rules above: keypad
//     lines and shapes (147258, 258369, 369258, 147369, 159357, 357159, 159753, 789456, 456123,
//     741852, 963852, 123789, 789123, 321654) and Chinese "love" numbers (521314 "我爱你一生一世",
//     201314 "爱你一生一世", 131420 "一生一世爱你"). Sources: D. Wang, Q. Gu, X. Huang, P. Wang, "Understanding Human-Chosen PINs:
//     Characteristics, Distribution and Security", ACM AsiaCCS 2017 (doi:10.1145/3052973.3053031),
//     which studies 6-digit PINs of Chinese users (keypad, date and "love" patterns among the most
//     popular); N. Berry, "PIN analysis", DataGenetics blog, 2012 (six-digit codes: the 159753
//     keypad cross).
//
// pin_matches_birth_date (only when birth_date is given and valid), with YYYY the year, YY its last
// two digits, MM and DD the month and day with leading zeros; for 1990-01-15:
//   YYMMDD 900115, DDMMYY 150190, MMDDYY 011590  (the 2-digit-year forms in use worldwide)
//   YYYYMM 199001, MMYYYY 011990                  (year and month)
//   MMDDMM 011501, DDMMDD 150115                  (month-day or day-month repeated to six digits)
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"
#include "identity/civil_date.h"

namespace mpay::identity {

inline constexpr size_t kPinLength = 6;

Status check_pin_policy(std::string_view pin, std::optional<CivilDate> birth_date);

}  // namespace mpay::identity
