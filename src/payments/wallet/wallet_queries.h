// What a user (or an operator) reads: the profile with limits and their use, the wallet's
// balances, and the transaction history joined from the ledger (amounts, status), the directory
// (the counterparty, masked) and the notes. Personal data leaves only masked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "payments/wallet/spending_tracker.h"
#include "payments/wallet/wallet_context.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::wallet {

struct Profile {
  UserRecord user;
  std::string phone_masked;
  std::optional<std::string> name_masked;  // after KYC
  KycLimits limits;
  Spending used;
};

Result<Profile> read_profile(WalletContext& context, const UserId& user_id);
// For operators and for lists: the same, from a record already in hand.
Result<Profile> profile_of(WalletContext& context, const UserRecord& user);

enum class TransactionType { p2p_transfer, top_up, withdrawal };
std::string_view to_string(TransactionType type);
std::optional<TransactionType> parse_transaction_type(std::string_view text);

struct TransactionQuery {
  uint32_t limit = 20;                     // 1..100
  std::optional<int64_t> cursor;           // exclusive: the last item's ledger timestamp
  std::optional<TransactionType> type;
  std::optional<int64_t> from_ns;          // inclusive
  std::optional<int64_t> to_ns;            // exclusive
};

struct TransactionItem {
  TransferId id;
  TransactionType type = TransactionType::p2p_transfer;
  bool incoming = false;
  int64_t amount_minor = 0;
  std::string status;                // completed, pending, failed
  std::string counterparty;          // masked phone, or "bank"
  std::optional<std::string> note;   // the payer's note
  int64_t at_ns = 0;
};

struct TransactionPage {
  std::vector<TransactionItem> items;
  std::optional<int64_t> next_cursor;
};

inline constexpr uint32_t kTransactionsLimitMax = 100;

Result<TransactionPage> list_transactions(WalletContext& context, const UserId& user_id,
                                          const TransactionQuery& query);

}  // namespace mpay::wallet
