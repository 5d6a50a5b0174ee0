// Everything the merchant commands need, passed explicitly (no globals). Built once by mpayd's
// wiring (src/server/merchant_service.*); the referenced objects must outlive it.
#pragma once

#include <functional>
#include <mutex>
#include <string_view>

#include "core/clock.h"
#include "core/currency.h"
#include "core/ids.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "payments/merchant/merchant_directory.h"
#include "payments/merchant/merchant_repository.h"
#include "payments/merchant/operator_audit.h"
#include "payments/merchant/request_verifier.h"
#include "security/sealer.h"

namespace mpay::merchant {

struct MerchantContext {
  MerchantRepository& repository;
  MerchantDirectory& directory;
  RequestVerifier& verifier;
  ledger::Ledger& ledger;
  const security::Sealer& sealer;  // the "pii" keys, like the wallet's personal data
  OperatorAuditLog& audit;
  Clock& clock;
  RandomSource& random;  // secrets: SystemRandom in production
  UuidV7Generator& ids;
  Currency currency;     // the wallets' currency; every merchant accepts it
  // Operator commands change a merchant's record and keys read-modify-write; they are rare, so
  // one lock serializes them all.
  std::mutex commands;
  // The deployment's rule for webhook URLs beyond their form (validate_webhook_url): mpayd sets
  // it from the webhook sender's network policy, so that an operator hears at onboarding that a
  // URL will never be sent to. Empty: no further rule.
  std::function<Status(std::string_view url)> webhook_url_policy;
};

}  // namespace mpay::merchant
