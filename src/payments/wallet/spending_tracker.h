// What each user has spent today and this month, for the KYC limits, kept in memory.
//
// A payment first reserves its amount (atomically checked against the limits), then either
// keeps it (the ledger moved the money) or releases it (it did not). After a restart a user's
// totals are rebuilt from the ledger the first time they pay (spending_history.h): the ledger is
// the truth, so a limit survives a crash exactly.
// Days and months are calendar periods in the service's configured time zone.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/error.h"
#include "payments/wallet/wallet_options.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::wallet {

struct Spending {
  int64_t today_minor = 0;
  int64_t this_month_minor = 0;
};

class SpendingTracker {
 public:
  explicit SpendingTracker(int utc_offset_minutes) : utc_offset_minutes_(utc_offset_minutes) {}

  // Errors (field "amount"): limit_per_payment_exceeded, limit_daily_exceeded,
  // limit_monthly_exceeded. Nothing is reserved on error.
  Status reserve(const UserId& user, int64_t amount_minor, const KycLimits& limits, int64_t now_ns);
  void release(const UserId& user, int64_t amount_minor, int64_t reserved_at_ns);
  // Whether the user's past payments of this month were added since the process started.
  bool is_loaded(const UserId& user);
  // Adds the past outgoing payments of the current month and marks the user loaded.
  void load(const UserId& user, const std::vector<std::pair<int64_t, int64_t>>& amount_at_ns,
            int64_t now_ns);

  Spending spending(const UserId& user, int64_t now_ns);

  // Calendar keys, exposed for tests: days since the epoch and months since year 0, local time.
  int64_t day_of(int64_t at_ns) const;
  int64_t month_of(int64_t at_ns) const;
  // The start of the month containing `at_ns`, in nanoseconds since the epoch.
  int64_t month_start_ns(int64_t at_ns) const;

 private:
  struct Usage {
    int64_t day = -1;
    int64_t month = -1;
    int64_t day_minor = 0;
    int64_t month_minor = 0;
    bool loaded = false;
  };
  Usage& current(const UserId& user, int64_t now_ns);

  int utc_offset_minutes_;
  std::mutex mutex_;
  absl::flat_hash_map<Id128, Usage, Id128Hash> usage_;  // one probe per lookup
};

}  // namespace mpay::wallet
