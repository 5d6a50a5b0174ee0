// Bank accounts, top-ups and withdrawals through the BankConnector.
//
// Top-up: the order is recorded (pending), the bank pulls the money from the user's account, and
// when it confirms, the ledger credits the wallet from the bank clearing account. Withdrawal: the
// order is recorded, the ledger holds the amount with a pending transfer (the user sees it as
// pending), the bank pushes the money; a confirmation posts the hold, a decline or timeout voids
// it. Ledger transfer ids derive from the order's reference, so a retry after a crash can never
// credit or post twice. reconcile_bank_orders() finishes what a restart interrupted.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

inline constexpr size_t kBankAccountsPerUserMax = 5;

// Links a bank account in the KYC name and raises the user to KYC level 2. Linking the same
// account again returns it. Errors: kyc_required, bank_accounts_limit, bank_account_invalid,
// bank_account_not_found, bank_account_holder_mismatch, bank_unavailable, store_error.
Result<BankAccountRecord> link_bank_account(WalletContext& context, const UserId& user_id,
                                            const std::string& bank_code,
                                            const std::string& account_number);

struct BankOrderRequest {
  std::string bank_account_id;
  std::string amount;
  std::string currency;
  std::string pin;  // withdrawals only
};

// Errors: bank_account_not_found (field "bank_account_id"), amount_*, currency_*, account_frozen,
// balance_cap_exceeded (top-up), pin_* and insufficient_funds (withdrawal), bank_busy,
// bank_unavailable, store_error. Answers at once with the order pending.
Result<BankOrderRecord> start_top_up(WalletContext& context, const UserId& user_id,
                                     const BankOrderRequest& request);
Result<BankOrderRecord> start_withdrawal(WalletContext& context, const UserId& user_id,
                                         const BankOrderRequest& request);

// The user's own order of this kind, or bank_order_not_found.
Result<BankOrderRecord> find_bank_order(WalletContext& context, const UserId& user_id,
                                        BankOrderKind kind, const std::string& reference);

// At start-up: asks the bank about every pending order and finishes it (or submits it again,
// which the bank treats as the same order). Returns how many orders it looked at.
Result<size_t> reconcile_bank_orders(WalletContext& context);

std::string_view to_string(BankOrderStatus status);

}  // namespace mpay::wallet
