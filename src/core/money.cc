#include "core/money.h"

#include <limits>

namespace mpay {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error parse_error(std::string code, std::string message) {
  return Error(std::move(code), std::move(message), "amount");
}

}  // namespace

Result<int64_t> parse_amount(std::string_view text, const Currency& currency, SignPolicy sign) {
  if (text.empty()) return parse_error("amount_empty", "amount is empty");
  if (text.front() == '+') {
    return parse_error("amount_plus_sign", "amount must not have a '+' sign");
  }

  bool negative = false;
  std::string_view rest = text;
  if (rest.front() == '-') {
    if (sign != SignPolicy::allow_negative) {
      return parse_error("amount_negative", "amount must not be negative");
    }
    negative = true;
    rest.remove_prefix(1);
  }

  for (char c : rest) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return parse_error("amount_whitespace", "amount must not contain whitespace");
    }
    if (c == ',') {
      return parse_error("amount_comma", "amount must use '.' as decimal point and no grouping");
    }
    if (c == 'e' || c == 'E') {
      return parse_error("amount_exponent", "amount must be a plain decimal, not an exponent form");
    }
    if (!is_digit(c) && c != '.') {
      return parse_error("amount_invalid_character",
                         std::string("amount contains an invalid character '") + c + "'");
    }
  }

  size_t point = rest.find('.');
  std::string_view integer_digits = rest.substr(0, point);
  std::string_view fraction_digits =
      point == std::string_view::npos ? std::string_view() : rest.substr(point + 1);

  if (integer_digits.empty()) {
    return parse_error("amount_missing_integer_digits", "amount needs digits before the point");
  }
  if (point != std::string_view::npos) {
    if (fraction_digits.empty()) {
      return parse_error("amount_missing_fraction_digits", "amount needs digits after the point");
    }
    if (fraction_digits.find('.') != std::string_view::npos) {
      return parse_error("amount_invalid_character", "amount has more than one decimal point");
    }
  }
  if (integer_digits.size() > 1 && integer_digits.front() == '0') {
    return parse_error("amount_leading_zero", "amount must not have leading zeros");
  }
  if (fraction_digits.size() > currency.exponent) {
    return parse_error("amount_too_many_fraction_digits",
                       std::string(currency.code) + " has " + std::to_string(currency.exponent) +
                           " fraction digits");
  }

  // Accumulate as a negative number so that the most negative int64 is representable; this never
  // overflows before the checks below catch it.
  int64_t value = 0;
  auto push_digit = [&value](char c) {
    return checked_mul(value, 10, &value) && checked_sub(value, c - '0', &value);
  };
  for (char c : integer_digits) {
    if (!push_digit(c)) return parse_error("amount_overflow", "amount is too large");
  }
  for (size_t i = 0; i < currency.exponent; ++i) {
    char c = i < fraction_digits.size() ? fraction_digits[i] : '0';
    if (!push_digit(c)) return parse_error("amount_overflow", "amount is too large");
  }

  if (negative) {
    if (value == 0) return parse_error("amount_negative_zero", "amount \"-0\" is ambiguous");
    return value;
  }
  if (value == std::numeric_limits<int64_t>::min()) {
    return parse_error("amount_overflow", "amount is too large");
  }
  return -value;
}

std::string format_amount(int64_t minor, const Currency& currency) {
  // Work on the magnitude as unsigned so that INT64_MIN formats correctly.
  bool negative = minor < 0;
  uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(minor)
                                : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (currency.exponent > 0) {
    if (digits.size() <= currency.exponent) {
      digits.insert(0, currency.exponent + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - currency.exponent, 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

bool checked_add(int64_t a, int64_t b, int64_t* out) {
  int64_t result;
  if (__builtin_add_overflow(a, b, &result)) return false;
  *out = result;
  return true;
}

bool checked_sub(int64_t a, int64_t b, int64_t* out) {
  int64_t result;
  if (__builtin_sub_overflow(a, b, &result)) return false;
  *out = result;
  return true;
}

bool checked_mul(int64_t a, int64_t b, int64_t* out) {
  int64_t result;
  if (__builtin_mul_overflow(a, b, &result)) return false;
  *out = result;
  return true;
}

Result<Money> add(const Money& a, const Money& b) {
  if (!(a.currency == b.currency)) return Error("currency_mismatch", "currencies differ");
  Money sum{0, a.currency};
  if (!checked_add(a.minor, b.minor, &sum.minor)) return Error("amount_overflow", "sum overflows");
  return sum;
}

Result<Money> subtract(const Money& a, const Money& b) {
  if (!(a.currency == b.currency)) return Error("currency_mismatch", "currencies differ");
  Money difference{0, a.currency};
  if (!checked_sub(a.minor, b.minor, &difference.minor)) {
    return Error("amount_overflow", "difference overflows");
  }
  return difference;
}

}  // namespace mpay
