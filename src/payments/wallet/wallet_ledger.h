// The wallet's use of the ledger: its system accounts, wallet accounts, and a blocking
// "move this money" call for commands that run on blocking threads.
#pragma once

#include <string_view>

#include "core/error.h"
#include "ledger/ledger.h"
#include "ledger/result_codes.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

// Ledger transfer codes of wallet movements (ledger::Transfer::code).
namespace transfer_codes {
inline constexpr uint16_t p2p_transfer = 1;
inline constexpr uint16_t top_up = 2;
inline constexpr uint16_t withdrawal = 3;
// A merchant paid from the wallet (src/payments/requests/request_ledger.h owns codes 10..19);
// it counts against the payer's spending limits like a transfer.
inline constexpr uint16_t merchant_payment = 10;
}  // namespace transfer_codes

// A stable id derived from a name, so that a retry (or a restart) names the same account or
// transfer: 16 bytes of XXH3-128 over the name with the UUID version set to 8 (custom).
Id128 derived_id(std::string_view name);

// The bank clearing account of a currency: credits_must_not_exceed_debits would be wrong here
// (money arrives from outside), so it has no balance flag; its balance mirrors what the banks owe.
AccountId bank_clearing_account_id(uint16_t currency);

// Creates the system accounts (idempotent: "exists" is fine).
Status ensure_system_accounts(ledger::Ledger& ledger, uint16_t currency);

// A new user's wallet: debits must not exceed credits (no overdraft).
Status open_wallet_account(ledger::Ledger& ledger, const AccountId& account, uint16_t currency);

// Submits one transfer and waits for its durable outcome.
Result<ledger::CreateTransferResult> move_money(ledger::Ledger& ledger, const ledger::Transfer& transfer);

struct WalletBalance {
  int64_t posted_minor = 0;     // credits_posted - debits_posted
  int64_t outgoing_pending_minor = 0;  // held for withdrawals and authorized payments
  int64_t incoming_pending_minor = 0;
  int64_t available_minor = 0;  // posted - outgoing pending
};
Result<WalletBalance> wallet_balance(ledger::Ledger& ledger, const AccountId& account);

}  // namespace mpay::wallet
