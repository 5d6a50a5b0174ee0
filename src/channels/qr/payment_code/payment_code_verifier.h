// Verifies a payment code a till scanned: which user's phone showed it, and whether it may be
// charged. The integrator calls verify() from the payment flow; this module knows no HTTP.
//
// Order of checks (each failure its own code, see below):
//   1. the caller (merchant id) is not over its failure rate        else payment_code_rate_limited
//   2. the text is 18 digits, "88", Luhn digit right                else payment_code_malformed
//   3. the device number is known                                   else payment_code_invalid
//   4. the device is not revoked, not locked                        else ..._device_revoked / _locked
//   5. the OTP matches a counter c, scanning T+1 down to T-40 (T = counter_at(now)), first match:
//        c <= the device's last used counter                         payment_code_used
//        T-3 <= c <= T+1                                             accepted
//        T-40 <= c < T-3 (the last 10 minutes)                       payment_code_expired
//      no match                                                      payment_code_invalid
// Accepting records c as the device's last counter and clears its failure count, durably, before
// verify returns: that code and every older one of the device are spent, across restarts too.
// A wrong OTP for a known device (payment_code_invalid) adds a failure, durably; reaching
// options.failed_attempts_before_lock locks the device (durably) until the user re-provisions or
// revokes it. Every failed verification (all codes above but rate_limited, and not store errors)
// counts toward the caller's rate.
//
// Threads: safe from any thread. Verifications of one device are serialised (the registry's device
// lock spans the durable write), so when two tills race with one code exactly one wins and the
// other gets payment_code_used. The registry must outlive the verifier.
// Failure: the payment_code_* codes above (field "code" where the text is at fault), and storage or
// unsealing errors passed through (store_error, store_busy, sealed_data_*): nothing was accepted.
// An empty caller or one over kCallerBytesMax is a programmer error (abort).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "channels/qr/payment_code/caller_failure_limiter.h"
#include "channels/qr/payment_code/payment_code_devices.h"
#include "core/error.h"
#include "core/ids.h"

namespace mpay::qr {

struct VerifiedPaymentCode {
  Id128 device_id;
  wallet::UserId user_id;
  uint64_t counter = 0;  // the time step the code was made for
};

class PaymentCodeVerifier {
 public:
  explicit PaymentCodeVerifier(PaymentCodeDevices& devices)
      : devices_(devices), limiter_(devices.options()) {}

  Result<VerifiedPaymentCode> verify(std::string_view code, std::string_view caller, int64_t now_ns);

 private:
  struct Decision {
    std::optional<Error> refused;
    VerifiedPaymentCode verified;
  };

  Result<VerifiedPaymentCode> check(std::string_view code, int64_t now_ns);
  // Decides one verification on the device's record, under the device's lock; true when the record
  // changed (and must be written before the answer).
  bool decide(PaymentCodeDevice& device, uint32_t otp, int64_t now_ns, Decision& decision);

  PaymentCodeDevices& devices_;
  CallerFailureLimiter limiter_;
};

}  // namespace mpay::qr
