// What the crash test's child and parent agree on: accounts, id layout, acknowledgement records.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/types.h"

namespace mpay::crash {

inline constexpr uint16_t kCurrency = 156;
inline constexpr uint64_t kWallets = 50;

// Account 0 funds everyone (no balance limit); 1..kWallets are wallets that cannot overdraw.
inline AccountId account_id(uint64_t n) { return AccountId(Id128{0xACC, n}); }

inline std::vector<ledger::Account> all_accounts() {
  std::vector<ledger::Account> accounts;
  for (uint64_t n = 0; n <= kWallets; ++n) {
    ledger::Account a;
    a.id = account_id(n);
    a.currency = kCurrency;
    a.kind = n == 0 ? ledger::AccountKind::system : ledger::AccountKind::user_wallet;
    a.flags = n == 0 ? 0 : ledger::account_flags::debits_must_not_exceed_credits;
    accounts.push_back(a);
  }
  return accounts;
}

inline uint64_t transfer_low(uint64_t chain, uint64_t length, uint64_t index) {
  return chain << 16 | length << 8 | index;
}
inline uint64_t chain_of(uint64_t low) { return low >> 16; }
inline uint64_t length_of(uint64_t low) { return (low >> 8) & 0xFF; }

struct AckRecord {
  uint64_t id_high;
  uint64_t id_low;
  int64_t amount;
  uint16_t result;
  uint16_t padding[3];
};
static_assert(sizeof(AckRecord) == 32);

}  // namespace mpay::crash
