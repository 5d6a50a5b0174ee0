// Money: an amount in integer minor units of one ISO 4217 currency. Never a floating-point number.
//
// Parsing and formatting of decimal strings are exact and strict (a payment platform must not guess
// what "25,00" or "1e3" meant). Arithmetic is checked: overflow is an error, never a wrap.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/currency.h"
#include "core/error.h"

namespace mpay {

struct Money {
  int64_t minor = 0;  // minor units: 2550 is CNY 25.50
  Currency currency;

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor == b.minor && a.currency == b.currency;
  }
};

enum class SignPolicy { positive_or_zero, allow_negative };

// Parses a plain decimal string ("25", "25.5", "25.50") into minor units of `currency`.
// Rejected, each with its own error code: empty input ("amount_empty"), whitespace
// ("amount_whitespace"), a leading '+' ("amount_plus_sign"), exponents ("amount_exponent"),
// group or decimal commas ("amount_comma"), more fraction digits than the currency has
// ("amount_too_many_fraction_digits"), a bare "25." ("amount_missing_fraction_digits") or ".5"
// ("amount_missing_integer_digits"), leading zeros such as "007" ("amount_leading_zero"), "-0"
// ("amount_negative_zero"), a '-' when negatives are not allowed ("amount_negative"), any other
// character or a second '.' ("amount_invalid_character"), and values that do not fit in int64 minor
// units ("amount_overflow").
Result<int64_t> parse_amount(std::string_view text, const Currency& currency,
                             SignPolicy sign = SignPolicy::positive_or_zero);

// Formats minor units with exactly `currency.exponent` fraction digits: 2550 CNY -> "25.50",
// 25 JPY -> "25", -1234 KWD -> "-1.234". No grouping separators, no currency symbol.
std::string format_amount(int64_t minor, const Currency& currency);

// Checked arithmetic on minor units: return false (and leave *out alone) on overflow.
bool checked_add(int64_t a, int64_t b, int64_t* out);
bool checked_sub(int64_t a, int64_t b, int64_t* out);
bool checked_mul(int64_t a, int64_t b, int64_t* out);

// Money arithmetic: currencies must match ("currency_mismatch"), overflow is "amount_overflow".
Result<Money> add(const Money& a, const Money& b);
Result<Money> subtract(const Money& a, const Money& b);

}  // namespace mpay
