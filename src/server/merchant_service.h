// The merchant service's parts, built and owned in one place for mpayd: the repository on
// mpay.db, the in-memory directory (loaded at start), the nonce memory, the request verifier, the
// audit log (the wallet's hash-chained one) and the MerchantContext that ties them together.
// Wiring only; the behaviour lives in src/payments/merchant.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "payments/merchant/merchant_context.h"
#include "payments/merchant/nonce_memory.h"
#include "payments/wallet/wallet_context.h"
#include "store/sqlite/sqlite_merchant_repository.h"

namespace mpay::server {

struct MerchantServiceOptions {
  std::string data_directory;
  merchant::NonceMemoryOptions nonces;
  // MerchantContext::webhook_url_policy (mpayd: the webhook sender's network policy).
  std::function<Status(std::string_view url)> webhook_url_policy;
};

class MerchantService {
 public:
  // Uses the wallet's sealer ("pii" keys), audit log and currency. `wallet`, `ledger` and the
  // rest must outlive the service. Returns once `clock` has left the second it started in (at
  // most 1 s later): the verifier refuses requests signed in that second (restarts,
  // payments/merchant/request_verifier.h), so serving only after it means a merchant with an
  // accurate clock never meets that refusal.
  static Result<std::unique_ptr<MerchantService>> open(const MerchantServiceOptions& options, ledger::Ledger& ledger,
                                                       wallet::WalletContext& wallet, Clock& clock,
                                                       RandomSource& random, UuidV7Generator& ids);
  ~MerchantService();

  merchant::MerchantContext& context() { return *context_; }
  merchant::MerchantDirectory& directory() { return *directory_; }
  merchant::RequestVerifier& verifier() { return *verifier_; }

 private:
  MerchantService() = default;

  std::unique_ptr<store::sqlite::SqliteMerchantRepository> repository_;
  std::unique_ptr<merchant::MerchantDirectory> directory_;
  std::unique_ptr<merchant::NonceMemory> nonces_;
  std::unique_ptr<merchant::RequestVerifier> verifier_;
  std::unique_ptr<merchant::OperatorAuditLog> audit_;
  std::unique_ptr<merchant::MerchantContext> context_;
};

}  // namespace mpay::server
