// The wallet's parts, built and owned in one place for mpayd: server keys (outside the database),
// the repository on mpay.db, the caches, the KYC sandbox, the bank sandbox, the SMS outbox and the
// WalletContext that ties them together. Wiring only; the behaviour lives in src/payments/wallet.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/phone.h"
#include "core/random.h"
#include "identity/sandbox_kyc_verifier.h"
#include "ledger/ledger.h"
#include "notify/sms_sender.h"
#include "payments/bank/sandbox_bank.h"
#include "payments/wallet/wallet_context.h"
#include "security/key_ring.h"
#include "security/pin_hasher.h"
#include "security/sealer.h"
#include "store/sqlite/sqlite_wallet_repository.h"

namespace mpay::server {

struct WalletServiceOptions {
  std::string data_directory;
  std::string keys_directory;  // server keys; keep it out of database backups
  wallet::WalletOptions wallet;
  uint32_t bank_latency_ms = 20;
  uint32_t bank_answer_timeout_ms = 5000;
};

class WalletService {
 public:
  static Result<std::unique_ptr<WalletService>> open(const WalletServiceOptions& options,
                                                     ledger::Ledger& ledger, Clock& clock,
                                                     RandomSource& random, UuidV7Generator& ids);
  ~WalletService();

  wallet::WalletContext& context() { return *context_; }
  // mpay.db's repository; its writer() serves the other repositories on that file.
  store::sqlite::SqliteWalletRepository& repository() { return *repository_; }
  // Before the ledger closes: the bank answers what is in flight and the follow-ups are booked.
  void shutdown();

 private:
  WalletService() = default;

  WalletServiceOptions options_;
  std::unique_ptr<security::KeyRing> pin_keys_, pii_keys_, lookup_keys_, token_keys_;
  std::unique_ptr<security::PinHasher> pins_;
  std::unique_ptr<security::Sealer> sealer_;
  std::unique_ptr<store::sqlite::SqliteWalletRepository> repository_;
  std::unique_ptr<wallet::UserDirectory> users_;
  std::unique_ptr<wallet::SessionCache> sessions_;
  std::unique_ptr<PhoneNumbers> phones_;
  std::unique_ptr<wallet::PhoneCache> phone_cache_;
  std::unique_ptr<wallet::SpendingTracker> spending_;
  std::unique_ptr<wallet::BalanceCapGuard> balance_caps_;
  std::unique_ptr<wallet::UserLocks> locks_;
  std::unique_ptr<identity::SandboxKycVerifier> kyc_;
  std::unique_ptr<notify::OutboxSmsSender> sms_;
  std::unique_ptr<wallet::BackgroundWorker> background_;
  std::unique_ptr<wallet::TransferNotices> notices_;
  std::unique_ptr<bank::SandboxBank> bank_;
  std::unique_ptr<wallet::WalletContext> context_;
};

}  // namespace mpay::server
