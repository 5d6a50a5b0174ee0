#include "payments/wallet/spending_history.h"

#include "ledger/result_codes.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::wallet {

Status ensure_spending_loaded(WalletContext& context, const UserRecord& user) {
  if (context.spending.is_loaded(user.id)) return ok_status();
  const int64_t now = context.clock.now_ns();
  const int64_t month_start = context.spending.month_start_ns(now);
  std::vector<std::pair<int64_t, int64_t>> payments;
  ledger::HistoryQuery query;
  query.limit = 1000;
  query.order = ledger::HistoryOrder::descending;
  for (;;) {
    Result<std::vector<ledger::TransferRecord>> page =
        context.ledger.account_transfers(user.wallet_account_id, query);
    if (!page.ok()) return page.error();
    for (const ledger::TransferRecord& record : *page) {
      const ledger::JournalEntry& entry = record.entry;
      if (entry.timestamp < month_start) {
        context.spending.load(user.id, payments, now);
        return ok_status();
      }
      bool spends = entry.code == transfer_codes::p2p_transfer ||
                    entry.code == transfer_codes::merchant_payment;
      // A hold counts while it holds; once captured, its capture (a post) counts instead, and a
      // released one counts not at all.
      bool hold = (entry.flags & ledger::transfer_flags::pending) != 0;
      bool released = (entry.flags & ledger::transfer_flags::void_pending_transfer) != 0;
      if (hold && record.status != ledger::PendingStatus::pending) spends = false;
      if (released) spends = false;
      if (spends && entry.debit_account_id == user.wallet_account_id.value()) {
        payments.emplace_back(entry.amount_applied, entry.timestamp);
      }
    }
    if (page->size() < query.limit) break;
    query.after_timestamp = page->back().entry.timestamp;
  }
  context.spending.load(user.id, payments, now);
  return ok_status();
}

}  // namespace mpay::wallet
