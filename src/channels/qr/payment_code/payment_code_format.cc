#include "channels/qr/payment_code/payment_code_format.h"

#include <algorithm>

#include "channels/qr/payment_code/hotp.h"
#include "channels/qr/payment_code/luhn.h"
#include "channels/qr/payment_code/payment_code_limits.h"
#include "core/check.h"

namespace mpay::qr {
namespace {

constexpr int64_t kNanosecondsPerSecond = 1'000'000'000;

// `value` as exactly `width` decimal digits, leading zeros kept.
std::string zero_padded(uint32_t value, size_t width) {
  std::string text(width, '0');
  for (size_t i = width; i-- > 0;) {
    text[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  MPAY_CHECK(value == 0, "zero_padded: value wider than its field");
  return text;
}

uint32_t number_of(std::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

Error malformed(std::string message) { return Error("payment_code_malformed", std::move(message), "code"); }

}  // namespace

uint64_t counter_at(int64_t unix_ns) {
  MPAY_CHECK(unix_ns >= 0, "counter_at: time before the Unix epoch");
  return static_cast<uint64_t>(unix_ns / kNanosecondsPerSecond / kPaymentCodeStepSeconds);
}

uint32_t payment_code_otp(std::string_view secret, uint64_t counter) {
  return hotp_sha256(secret, counter, kPaymentCodeOtpDigits);
}

std::string make_payment_code(std::string_view secret, uint32_t device_number, uint64_t counter) {
  MPAY_CHECK(device_number >= kDeviceNumberMin && device_number <= kDeviceNumberMax,
             "make_payment_code: device number out of range");
  std::string code(kPaymentCodePrefix);
  code += zero_padded(device_number, kDeviceNumberDigits);
  code += zero_padded(payment_code_otp(secret, counter), kPaymentCodeOtpDigits);
  code.push_back(luhn_check_digit(code));
  return code;
}

Result<ParsedPaymentCode> parse_payment_code(std::string_view text) {
  if (text.size() != kPaymentCodeDigits) {
    return malformed("a payment code is exactly " + std::to_string(kPaymentCodeDigits) + " digits");
  }
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return malformed("a payment code holds digits only");
  }
  if (!text.starts_with(kPaymentCodePrefix)) {
    return malformed("a payment code starts with " + std::string(kPaymentCodePrefix));
  }
  if (!luhn_valid(text)) return malformed("the payment code's check digit does not match: mistyped?");
  std::string_view device = text.substr(kPaymentCodePrefix.size(), kDeviceNumberDigits);
  std::string_view otp = text.substr(kPaymentCodePrefix.size() + kDeviceNumberDigits, kPaymentCodeOtpDigits);
  ParsedPaymentCode parsed{number_of(device), number_of(otp)};
  if (parsed.device_number < kDeviceNumberMin) return malformed("a device number has no leading zero");
  return parsed;
}

}  // namespace mpay::qr
