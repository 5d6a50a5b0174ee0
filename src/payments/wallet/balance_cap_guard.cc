#include "payments/wallet/balance_cap_guard.h"

#include "core/money.h"

namespace mpay::wallet {

Status BalanceCapGuard::reserve(const UserId& payee, int64_t posted_minor, int64_t amount_minor,
                                int64_t cap_minor) {
  std::lock_guard lock(mutex_);
  int64_t& flight = in_flight_[payee.value()];
  int64_t after = 0;
  if (!checked_add(posted_minor, flight, &after) || !checked_add(after, amount_minor, &after) ||
      after > cap_minor) {
    if (flight == 0) in_flight_.erase(payee.value());
    return Error("recipient_balance_cap_exceeded",
                 "the recipient's wallet cannot hold this much at its verification level", "amount");
  }
  flight += amount_minor;
  return ok_status();
}

void BalanceCapGuard::release(const UserId& payee, int64_t amount_minor) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(payee.value());
  if (found == in_flight_.end()) return;
  found->second -= amount_minor;
  if (found->second <= 0) in_flight_.erase(found);
}

int64_t BalanceCapGuard::in_flight(const UserId& payee) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(payee.value());
  return found == in_flight_.end() ? 0 : found->second;
}

}  // namespace mpay::wallet
