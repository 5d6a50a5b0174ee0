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
#include "payments/wallet/background_worker.h"
#include "payments/wallet/balance_cap_guard.h"
#include "payments/wallet/phone_identity.h"
#include "payments/wallet/session_cache.h"
#include "payments/wallet/spending_tracker.h"
#include "payments/wallet/transfer_notices.h"
#include "payments/wallet/user_directory.h"
#include "payments/wallet/wallet_options.h"
#include "payments/wallet/wallet_repository.h"
#include "security/key_ring.h"
#include "security/pin_hasher.h"
#include "security/sealer.h"

namespace mpay::wallet {

// Serializes the commands of one user (limits checks and PIN counters must not interleave),
// while different users proceed in parallel. Striped: two users may share a stripe. Phones have
// their own stripes; the order is always a user's lock first, then a phone's, never the reverse.
class UserLocks {
 public:
  std::mutex& of(const UserId& user) { return users_[Id128Hash{}(user.value()) % users_.size()]; }
  // For one-time codes and sign-up, which know the phone before (or without) the user.
  std::mutex& of_phone(const Digest& phone_digest) {
    return phones_[DigestHash{}(phone_digest) % phones_.size()];
  }

 private:
  std::array<std::mutex, 1024> users_;
  std::array<std::mutex, 256> phones_;
};

struct WalletContext {
  WalletRepository& repository;
  UserDirectory& users;
  SessionCache& sessions;
  ledger::Ledger& ledger;
  const security::KeyRing& lookup_keys;  // phone digests
  const security::KeyRing& token_keys;   // session token and one-time code digests
  const security::PinHasher& pins;
  const security::Sealer& sealer;        // personal data at rest
  identity::KycVerifier& kyc;
  bank::BankConnector& bank;
  notify::SmsSender& sms;
  const PhoneNumbers& phones;
  PhoneCache& phone_cache;
  Clock& clock;
  RandomSource& random;
  UuidV7Generator& ids;
  const WalletOptions& options;
  SpendingTracker& spending;
  BalanceCapGuard& balance_caps;
  UserLocks& locks;
  BackgroundWorker& background;  // blocking follow-ups of bank answers
  TransferNotices& notices;      // SMS after transfers, sent in batches from `background`
  Currency currency;
  AccountId bank_clearing_account;  // where top-ups come from and withdrawals go
};

}  // namespace mpay::wallet
