// Which carrier bills each subscriber's phone bill (set by an operator; loaded from mpay.db at
// start-up and written through first). Carrier names: 2 to 16 characters of [A-Z0-9_]. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::requests {

// Errors: carrier_invalid (field "carrier").
Status validate_carrier_name(std::string_view carrier);

class CarrierBook {
 public:
  void put(const wallet::UserId& user, std::string carrier);
  std::optional<std::string> of(const wallet::UserId& user) const;

  // Phone-bill charges being made for a user are counted until they are durable, so that two
  // at once cannot together pass the monthly allowance: true if used + in flight + amount fits.
  // `used_now` is read under the same lock as the charges in flight: a charge that becomes
  // durable (and then releases its place) is counted in one or the other, never in neither.
  bool reserve(const wallet::UserId& user, int64_t amount_minor,
               const std::function<int64_t()>& used_now, int64_t allowance_minor);
  void release(const wallet::UserId& user, int64_t amount_minor);

 private:
  std::unordered_map<wallet::UserId, int64_t, Id128Hash> in_flight_;
  mutable std::mutex mutex_;
  std::unordered_map<wallet::UserId, std::string, Id128Hash> carriers_;
};

}  // namespace mpay::requests
