// Everything the wallet commands need, passed explicitly (no globals): the stores, the ledger, the
// keys, the outside services (KYC, bank, SMS), time, randomness, and the options. Built once by
// mpayd's wiring; the referenced objects must outlive it. The commands (access.h, transfers.h, ...)
// are free functions over this context, each file one job.
#pragma once

#include <array>
#include <mutex>

#include "core/clock.h"
#include "core/currency.h"
#include "core/ids.h"
#include "core/phone.h"
#include "core/random.h"
#include "identity/kyc_verifier.h"
#include "ledger/ledger.h"
#include "notify/sms_sender.h"
#include "payments/bank/bank_connector.h"
#include "payments/wallet/spending_tracker.h"
#include "payments/wallet/wallet_options.h"
#include "payments/wallet/wallet_repository.h"
#include "security/key_ring.h"
#include "security/pin_hasher.h"
#include "security/sealer.h"

namespace mpay::wallet {

// Serializes the commands of one user (limits checks and PIN counters must not interleave),
// while different users proceed in parallel. Striped: two users may share a stripe.
class UserLocks {
 public:
  std::mutex& of(const UserId& user) { return stripes_[Id128Hash{}(user.value()) % stripes_.size()]; }

 private:
  std::array<std::mutex, 1024> stripes_;
};

struct WalletContext {
  WalletRepository& repository;
  ledger::Ledger& ledger;
  const security::KeyRing& lookup_keys;  // phone digests
  const security::KeyRing& token_keys;   // session token and one-time code digests
  const security::PinHasher& pins;
  const security::Sealer& sealer;        // personal data at rest
  identity::KycVerifier& kyc;
  bank::BankConnector& bank;
  notify::SmsSender& sms;
  const PhoneNumbers& phones;
  Clock& clock;
  RandomSource& random;
  UuidV7Generator& ids;
  const WalletOptions& options;
  SpendingTracker& spending;
  UserLocks& locks;
  Currency currency;
  AccountId bank_clearing_account;  // where top-ups come from and withdrawals go
};

}  // namespace mpay::wallet
