// Rebuilds a user's spending of the current month from the ledger (the wallet's outgoing P2P
// transfers), the first time the user pays after a start. The caller holds the user's lock.
#pragma once

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

Status ensure_spending_loaded(WalletContext& context, const UserRecord& user);

}  // namespace mpay::wallet
