// Standing mandates in memory (loaded from mpay.db at start-up, written through first): a user's
// consent that one merchant may charge the user's wallet without a confirmation each time, up to
// a cap per charge and a cap per calendar month (the wallet's local time, as its spending limits),
// until the user revokes it. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "payments/requests/request_records.h"

namespace mpay::requests {

class MandateBook {
 public:
  void put(const MandateRecord& mandate);
  std::optional<MandateRecord> get(const Id128& id) const;
  std::vector<MandateRecord> of_user(const wallet::UserId& user) const;
  // Marks it revoked; false if unknown or already revoked.
  bool revoke(const Id128& id, int64_t at_ns);

  // Charges under a mandate are counted until durable, so that two at once cannot together pass
  // the monthly cap: true if used + in flight + amount fits. `used_now` is read under the same
  // lock as the charges in flight (as CarrierBook::reserve does): a charge that becomes durable
  // and then releases its place is counted in one or the other, never in neither.
  bool reserve(const Id128& id, int64_t amount_minor, const std::function<int64_t()>& used_now,
               int64_t cap_minor);
  void release(const Id128& id, int64_t amount_minor);

 private:
  std::unordered_map<Id128, int64_t, Id128Hash> in_flight_;
  mutable std::mutex mutex_;
  std::unordered_map<Id128, MandateRecord, Id128Hash> mandates_;
};

}  // namespace mpay::requests
