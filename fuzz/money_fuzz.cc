// Fuzz target: amounts. parse_amount on the input as text, for currencies with 0, 2 and 3 fraction
// digits and both sign policies; format_amount on the first eight input bytes as an int64.
//
// Properties:
// - errors carry one of the documented codes;
// - an accepted amount is what the text says: format_amount(parse_amount(x)) is x with its
//   fraction padded to the currency's digits (so equals x for canonical x), and it is never
//   negative unless negatives are allowed;
// - for every int64 v and currency: parse_amount(format_amount(v)) == v.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/currency.h"
#include "core/money.h"

namespace {

bool documented_error(const std::string& code) {
  for (std::string_view known :
       {"amount_empty", "amount_whitespace", "amount_plus_sign", "amount_exponent", "amount_comma",
        "amount_too_many_fraction_digits", "amount_missing_fraction_digits",
        "amount_missing_integer_digits", "amount_leading_zero", "amount_negative_zero",
        "amount_negative", "amount_invalid_character", "amount_overflow"}) {
    if (code == known) return true;
  }
  return false;
}

// The canonical spelling of an accepted amount: the fraction padded with zeros to `exponent`.
std::string canonical(std::string_view text, uint8_t exponent) {
  std::string out(text);
  if (exponent == 0) return out;
  size_t point = out.find('.');
  size_t fraction_digits = point == std::string::npos ? 0 : out.size() - point - 1;
  if (point == std::string::npos) out.push_back('.');
  out.append(exponent - fraction_digits, '0');
  return out;
}

void check_text(std::string_view text, const mpay::Currency& currency, mpay::SignPolicy sign) {
  auto parsed = mpay::parse_amount(text, currency, sign);
  if (!parsed.ok()) {
    MPAY_CHECK(documented_error(parsed.error().code), "parse_amount: undocumented error code");
    return;
  }
  MPAY_CHECK(*parsed >= 0 || sign == mpay::SignPolicy::allow_negative,
             "parse_amount accepted a negative amount");
  std::string formatted = mpay::format_amount(*parsed, currency);
  MPAY_CHECK(formatted == canonical(text, currency.exponent),
             "format_amount(parse_amount(x)) is not x in canonical form");
  auto again = mpay::parse_amount(formatted, currency, sign);
  MPAY_CHECK(again.ok() && *again == *parsed, "parse_amount(format_amount(v)) != v");
}

void check_value(int64_t value, const mpay::Currency& currency) {
  std::string formatted = mpay::format_amount(value, currency);
  auto parsed = mpay::parse_amount(formatted, currency, mpay::SignPolicy::allow_negative);
  MPAY_CHECK(parsed.ok() && *parsed == value, "parse_amount(format_amount(v)) != v");
  auto non_negative = mpay::parse_amount(formatted, currency, mpay::SignPolicy::positive_or_zero);
  MPAY_CHECK(non_negative.ok() == (value >= 0), "the sign policy misjudged a formatted amount");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  int64_t value = 0;
  if (size > 0) std::memcpy(&value, data, size < sizeof(value) ? size : sizeof(value));
  for (std::string_view code : {"JPY", "CNY", "KWD"}) {
    std::optional<mpay::Currency> currency = mpay::currency_by_code(code);
    MPAY_CHECK(currency.has_value(), "a test currency is missing from the table");
    check_text(text, *currency, mpay::SignPolicy::positive_or_zero);
    check_text(text, *currency, mpay::SignPolicy::allow_negative);
    check_value(value, *currency);
  }
  return 0;
}
