// Every fixed number of the consumer-presented payment code, in one place: the public algorithm's
// constants (phone apps implement them too; README.md), and the server's policy limits with their
// defaults (PaymentCodeOptions, so tests can shrink them).
//
// Threads: constants and a plain value type. Failure: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mpay::qr {

// --- The algorithm (public: changing any of these breaks every phone app) ---
inline constexpr int64_t kPaymentCodeStepSeconds = 15;             // counter = floor(unix_s / 15)
inline constexpr int kPaymentCodeOtpDigits = 7;                    // HOTP value mod 10^7
inline constexpr uint32_t kPaymentCodeOtpModulus = 10'000'000;     // 10^kPaymentCodeOtpDigits
inline constexpr std::string_view kPaymentCodePrefix = "88";       // marks a payment code
inline constexpr size_t kDeviceNumberDigits = 8;
inline constexpr uint32_t kDeviceNumberMin = 10'000'000;
inline constexpr uint32_t kDeviceNumberMax = 99'999'999;
// prefix + device number + OTP + Luhn check digit
inline constexpr size_t kPaymentCodeDigits =
    kPaymentCodePrefix.size() + kDeviceNumberDigits + kPaymentCodeOtpDigits + 1;
inline constexpr size_t kDeviceSecretBytes = 32;                   // HMAC-SHA256 key per device

// --- Acceptance (server side) ---
// A code made for counter c is accepted while T-3 <= c <= T+1 (T = the server's counter): at most
// 60 s after its step began, and from a phone clock up to 15 s fast.
inline constexpr int64_t kAcceptStepsBehind = 3;
inline constexpr int64_t kAcceptStepsAhead = 1;
// Older codes, back to 10 minutes, are recognised to answer payment_code_expired.
inline constexpr int64_t kExpiredStepsBehind = 600 / kPaymentCodeStepSeconds;

// --- Devices ---
inline constexpr size_t kDeviceLabelCharactersMax = 40;  // Unicode code points
inline constexpr size_t kCallerBytesMax = 64;            // the till's merchant id as text

static_assert(kPaymentCodeDigits == 18);
static_assert(kDeviceNumberMax - kDeviceNumberMin + 1 == 90'000'000);
static_assert(kExpiredStepsBehind > kAcceptStepsBehind);

// Policy limits with their defaults.
struct PaymentCodeOptions {
  size_t active_devices_per_user_max = 5;
  int failed_attempts_before_lock = 5;        // consecutive wrong OTPs for one device
  int caller_failures_per_window_max = 20;    // failed verifications per caller ...
  int64_t caller_failure_window_ns = 60'000'000'000;  // ... in this sliding window
  size_t callers_tracked_max = 100'000;       // memory bound of the per-caller counts
  int device_number_draws_max = 64;           // random draws before giving up on a free number
};

}  // namespace mpay::qr
