#include "payments/requests/carrier_book.h"

namespace mpay::requests {

Status validate_carrier_name(std::string_view carrier) {
  bool ok = carrier.size() >= 2 && carrier.size() <= 16;
  for (char c : carrier) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) {
    return Error("carrier_invalid", "a carrier is 2 to 16 characters of A-Z, 0-9 and _", "carrier");
  }
  return ok_status();
}

void CarrierBook::put(const wallet::UserId& user, std::string carrier) {
  std::lock_guard lock(mutex_);
  carriers_[user] = std::move(carrier);
}

std::optional<std::string> CarrierBook::of(const wallet::UserId& user) const {
  std::lock_guard lock(mutex_);
  auto found = carriers_.find(user);
  if (found == carriers_.end()) return std::nullopt;
  return found->second;
}

bool CarrierBook::reserve(const wallet::UserId& user, int64_t amount_minor,
                          const std::function<int64_t()>& used_now, int64_t allowance_minor) {
  std::lock_guard lock(mutex_);
  int64_t& in_flight = in_flight_[user];
  if (used_now() + in_flight + amount_minor > allowance_minor) return false;
  in_flight += amount_minor;
  return true;
}

void CarrierBook::release(const wallet::UserId& user, int64_t amount_minor) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(user);
  if (found == in_flight_.end()) return;
  found->second -= amount_minor;
  if (found->second <= 0) in_flight_.erase(found);
}

}  // namespace mpay::requests
