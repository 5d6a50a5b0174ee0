// Standing mandates in memory (loaded from mpay.db at start-up, written through first): a user's
// consent that one merchant may charge the user's wallet without a confirmation each time, up to
// a cap per charge and a cap per calendar month (UTC), until the user revokes it. Thread-safe.
#pragma once

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

  // Charges under a mandate are counted until durable (as CarrierBook::reserve does).
  bool reserve(const Id128& id, int64_t amount_minor, int64_t used_minor, int64_t cap_minor);
  void release(const Id128& id, int64_t amount_minor);

 private:
  std::unordered_map<Id128, int64_t, Id128Hash> in_flight_;
  mutable std::mutex mutex_;
  std::unordered_map<Id128, MandateRecord, Id128Hash> mandates_;
};

}  // namespace mpay::requests
