// The wallet API's routes (docs/wallet-api.md): sign-up and sessions, the user's own profile,
// wallet, history, KYC, bank accounts, top-ups, withdrawals and transfers, and the operators'
// user administration. Handlers that block run on the BlockingPool; a transfer answers from the
// ledger's completer thread once it is durable.
#pragma once

#include "api/blocking_pool.h"
#include "api/router.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::api {

inline constexpr size_t kWalletBodyBytesMax = 4096;

void add_wallet_routes(Router& router, wallet::WalletContext& wallet, BlockingPool& pool);

}  // namespace mpay::api
