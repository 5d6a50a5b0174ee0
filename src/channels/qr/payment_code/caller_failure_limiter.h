// Counts failed payment-code verifications per caller (the till's merchant id) in a sliding window,
// so that a caller guessing codes across many device numbers is refused before any check: a device's
// own lockout cannot see guesses spread over other devices.
//
// In memory only (a restart forgets the counts; the durable per-device lockout still holds).
// Bounded: at most options.caller_failures_per_window_max times per caller and
// options.callers_tracked_max callers; when the table is full even after dropping callers whose
// failures have all left the window, a new caller's failures are not recorded (callers are
// authenticated merchants, so that many distinct failing callers in one minute does not happen).
//
// Threads: safe from any thread (one mutex). Failure: none.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "channels/qr/payment_code/payment_code_limits.h"

namespace mpay::qr {

class CallerFailureLimiter {
 public:
  explicit CallerFailureLimiter(PaymentCodeOptions options) : options_(options) {}

  // False when the caller already has the maximum of failures in the window ending at now_ns.
  bool allows(std::string_view caller, int64_t now_ns);
  void record_failure(std::string_view caller, int64_t now_ns);

 private:
  void forget_before(std::deque<int64_t>& failures, int64_t now_ns) const;

  PaymentCodeOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_by_caller_;  // times, oldest first
};

}  // namespace mpay::qr
