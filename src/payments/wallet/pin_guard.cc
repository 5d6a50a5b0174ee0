#include "payments/wallet/pin_guard.h"

#include <fmt/format.h>

namespace mpay::wallet {

Status check_pin(WalletContext& context, UserRecord& user, std::string_view pin) {
  const int64_t now = context.clock.now_ns();
  if (user.pin_locked_until_ns > now) {
    return Error("pin_locked",
                 fmt::format("too many wrong PINs: payments are locked for {} more minutes",
                             (user.pin_locked_until_ns - now) / (60LL * 1'000'000'000) + 1),
                 "pin");
  }
  security::PinHash stored{user.pin_key_id, user.pin_digest};
  security::PinCheck check = context.pins.verify(user.id.to_string(), pin, stored);
  if (check == security::PinCheck::mismatch) {
    user.pin_failures += 1;
    const bool locks = user.pin_failures >= context.options.pin_attempts_max;
    if (locks) {
      user.pin_failures = 0;
      user.pin_locked_until_ns = now + context.options.pin_lock_ns;
    }
    Status counted = context.users.update_pin_failures(user);
    if (!counted.ok()) return counted;
    if (locks) {
      return Error("pin_locked",
                   fmt::format("too many wrong PINs: payments are locked for {} minutes",
                               context.options.pin_lock_ns / (60LL * 1'000'000'000)),
                   "pin");
    }
    return Error("pin_incorrect",
                 fmt::format("the PIN is not correct; {} tries left before payments lock",
                             context.options.pin_attempts_max - user.pin_failures),
                 "pin");
  }
  if (check == security::PinCheck::match_needs_rehash) return set_pin(context, user, pin);
  if (user.pin_failures != 0 || user.pin_locked_until_ns != 0) {
    user.pin_failures = 0;
    user.pin_locked_until_ns = 0;
    return context.users.update_pin_failures(user);
  }
  return ok_status();
}

Status set_pin(WalletContext& context, UserRecord& user, std::string_view pin) {
  security::PinHash hash = context.pins.hash(user.id.to_string(), pin);
  user.pin_key_id = hash.key_id;
  user.pin_digest = hash.digest;
  user.pin_failures = 0;
  user.pin_locked_until_ns = 0;
  return context.users.update_pin(user);
}

}  // namespace mpay::wallet
