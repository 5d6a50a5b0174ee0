// Keeps a wallet under its balance cap while payments to it are in flight: each incoming payment
// reserves its amount here before it is submitted and gives it back once the ledger answered, so
// two concurrent payments cannot both fit under the cap on the same reading of the balance.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::wallet {

class BalanceCapGuard {
 public:
  // `posted_minor` is the wallet's posted balance now. Error: recipient_balance_cap_exceeded
  // (field "amount") when posted + in flight + amount would pass `cap_minor`.
  Status reserve(const UserId& payee, int64_t posted_minor, int64_t amount_minor, int64_t cap_minor);
  void release(const UserId& payee, int64_t amount_minor);

  int64_t in_flight(const UserId& payee);

 private:
  std::mutex mutex_;
  std::unordered_map<Id128, int64_t, Id128Hash> in_flight_;  // only payees with money in flight
};

}  // namespace mpay::wallet
