// Person-to-person transfers: the payer's PIN and KYC limits are checked, the ledger moves the
// money (no overdraft: the wallet account refuses to go below zero), both parties get an SMS.
//
// The answer comes through `done`, once, after the ledger's batch holding the transfer is durable
// (on the ledger's completer thread: `done` must be quick). Checks that fail answer at once, from
// the calling thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

struct P2pRequest {
  std::string to_phone;
  std::string amount;    // decimal, in the currency's major unit: "25.50"
  std::string currency;  // ISO 4217 code; must be the wallet's
  std::string pin;
  std::optional<std::string> note;
};

struct P2pReceipt {
  TransferId id;
  int64_t amount_minor = 0;
  std::string to_phone_masked;
  int64_t at_ns = 0;  // the ledger's timestamp
};

using P2pDone = std::function<void(Result<P2pReceipt>)>;

// Errors: amount_* and currency_unknown, currency_mismatch (field "currency"), note_too_long,
// account_frozen, pin_locked, pin_incorrect, phone_* (field "to_phone"), recipient_not_found,
// recipient_frozen, self_transfer, limit_per_payment_exceeded, limit_daily_exceeded,
// limit_monthly_exceeded, recipient_balance_cap_exceeded, insufficient_funds, ledger_*, store_error.
void send_p2p(WalletContext& context, const UserId& payer_id, const P2pRequest& request, P2pDone done);

// Parses an amount of the wallet currency, at most kAmountMinorMax (core/amount_limit.h). Errors:
// currency_unknown, currency_mismatch, amount_* (field "amount"), amount_zero, amount_too_large
// (also for digits beyond the int64 range).
Result<int64_t> parse_wallet_amount(const WalletContext& context, const std::string& amount,
                                    const std::string& currency);

}  // namespace mpay::wallet
