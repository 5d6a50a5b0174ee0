#include "channels/qr/payment_code/payment_code_verifier.h"

#include <sodium.h>

#include <optional>

#include "channels/qr/payment_code/payment_code_format.h"
#include "core/check.h"

namespace mpay::qr {
namespace {

enum class Match { none, accepted, used, expired };

struct Classified {
  Match match = Match::none;
  uint64_t counter = 0;
};

// Finds the newest counter near `now_counter` whose OTP is `otp`, and says what it means.
Classified classify(std::string_view secret, uint32_t otp, uint64_t now_counter, uint64_t last_counter) {
  auto now = static_cast<int64_t>(now_counter);
  for (int64_t c = now + kAcceptStepsAhead; c >= now - kExpiredStepsBehind && c >= 0; --c) {
    auto counter = static_cast<uint64_t>(c);
    if (payment_code_otp(secret, counter) != otp) continue;
    if (counter <= last_counter) return {Match::used, counter};
    if (c >= now - kAcceptStepsBehind) return {Match::accepted, counter};
    return {Match::expired, counter};
  }
  return {};
}

Error invalid() {
  // The same words whether the device number is unknown or the OTP wrong: a guesser learns nothing.
  return Error("payment_code_invalid", "this payment code is not valid", "code");
}

bool counts_as_failure(const Error& error) { return error.code.starts_with("payment_code_"); }

}  // namespace

Result<VerifiedPaymentCode> PaymentCodeVerifier::verify(std::string_view code, std::string_view caller,
                                                        int64_t now_ns) {
  MPAY_CHECK(!caller.empty() && caller.size() <= kCallerBytesMax, "verify: caller must be 1 to 64 bytes");
  if (!limiter_.allows(caller, now_ns)) {
    return Error("payment_code_rate_limited", "too many failed payment codes from this caller; wait a minute");
  }
  Result<VerifiedPaymentCode> result = check(code, now_ns);
  if (!result.ok() && counts_as_failure(result.error())) limiter_.record_failure(caller, now_ns);
  return result;
}

bool PaymentCodeVerifier::decide(PaymentCodeDevice& device, uint32_t otp, int64_t now_ns, Decision& decision) {
  if (!device.active()) {
    decision.refused = Error("payment_code_device_revoked", "the phone that showed this code was removed", "code");
    return false;
  }
  if (device.locked()) {
    decision.refused = Error("payment_code_device_locked",
                             "too many wrong codes for this phone: its owner must set it up again", "code");
    return false;
  }
  Result<std::string> secret = devices_.open_secret(device);
  if (!secret.ok()) {
    decision.refused = secret.error();
    return false;
  }
  Classified classified = classify(*secret, otp, counter_at(now_ns), device.last_counter);
  sodium_memzero(secret->data(), secret->size());
  switch (classified.match) {
    case Match::accepted:
      device.last_counter = classified.counter;
      device.failed_attempts = 0;
      decision.verified = VerifiedPaymentCode{device.id, device.user_id, classified.counter};
      return true;
    case Match::used:
      decision.refused = Error("payment_code_used", "this payment code was already used; show a new one", "code");
      return false;
    case Match::expired:
      decision.refused = Error("payment_code_expired", "this payment code has expired; show a new one", "code");
      return false;
    case Match::none:
      break;
  }
  decision.refused = invalid();
  device.failed_attempts += 1;
  if (device.failed_attempts >= devices_.options().failed_attempts_before_lock) device.locked_at_ns = now_ns;
  return true;  // the failure (and the lock) are durable before the answer
}

Result<VerifiedPaymentCode> PaymentCodeVerifier::check(std::string_view code, int64_t now_ns) {
  Result<ParsedPaymentCode> parsed = parse_payment_code(code);
  if (!parsed.ok()) return parsed.error();
  Decision decision;
  Status changed = devices_.change_device(parsed->device_number, [&](PaymentCodeDevice& device) {
    return decide(device, parsed->otp, now_ns, decision);
  });
  if (!changed.ok()) {
    if (changed.error().code == "payment_code_device_not_found") return invalid();
    return changed.error();
  }
  if (decision.refused) return *decision.refused;
  return decision.verified;
}

}  // namespace mpay::qr
