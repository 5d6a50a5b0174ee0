// The merchant's ledger accounts: one per accepted currency, AccountKind::merchant, flag
// debits_must_not_exceed_credits (refunds and payouts can never take a merchant below zero).
#pragma once

#include <vector>

#include "core/error.h"
#include "ledger/ledger.h"
#include "payments/merchant/merchant_records.h"

namespace mpay::merchant {

// Creates the accounts in one submission and waits until they are durable. An account that
// exists already with the same fields counts as created (a retry). Error: ledger_rejected (the
// message names the ledger's result), or the ledger's submit error (e.g. ledger_closed).
Status open_merchant_accounts(ledger::Ledger& ledger, const std::vector<MerchantAccount>& accounts);

}  // namespace mpay::merchant
