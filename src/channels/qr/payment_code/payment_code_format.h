// The 18-digit consumer-presented payment code, as pure functions (README.md is the public spec
// that phone apps implement):
//
//   code = "88" + device number (8 digits) + OTP (7 digits) + Luhn check digit over the first 17
//   OTP  = HOTP-SHA256(device secret, counter) mod 10^7 (hotp.h), zero-padded to 7 digits
//   counter = floor(unix seconds / 15)
//
// Threads: pure functions, safe from any thread.
// Failure: parse_payment_code returns "payment_code_malformed" (field "code") for anything but
// exactly 18 ASCII digits starting "88" whose Luhn digit matches (no spaces, no separators).
// make_payment_code with a device number outside 10000000-99999999 is a programmer error (abort).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay::qr {

struct ParsedPaymentCode {
  uint32_t device_number = 0;
  uint32_t otp = 0;
};

// The time step holding `unix_ns` (nanoseconds since the Unix epoch, not negative).
uint64_t counter_at(int64_t unix_ns);

// The 7-digit OTP of `secret` (raw bytes) at `counter`, as a number below 10^7.
uint32_t payment_code_otp(std::string_view secret, uint64_t counter);

std::string make_payment_code(std::string_view secret, uint32_t device_number, uint64_t counter);

Result<ParsedPaymentCode> parse_payment_code(std::string_view text);

}  // namespace mpay::qr
