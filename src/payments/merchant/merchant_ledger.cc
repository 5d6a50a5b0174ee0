#include "payments/merchant/merchant_ledger.h"

#include <future>
#include <string>

#include "ledger/result_codes.h"

namespace mpay::merchant {

Status open_merchant_accounts(ledger::Ledger& ledger, const std::vector<MerchantAccount>& accounts) {
  std::vector<ledger::Account> ledger_accounts;
  for (const MerchantAccount& account : accounts) {
    ledger::Account created;
    created.id = account.account_id;
    created.currency = account.currency;
    created.kind = ledger::AccountKind::merchant;
    created.flags = ledger::account_flags::debits_must_not_exceed_credits;
    ledger_accounts.push_back(created);
  }
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_accounts(std::move(ledger_accounts), [&done](std::vector<ledger::EventOutcome> outcomes) {
    done.set_value(std::move(outcomes));
  });
  if (!submitted.ok()) return submitted;
  for (const ledger::EventOutcome& outcome : future.get()) {
    auto result = static_cast<ledger::CreateAccountResult>(outcome.result);
    if (!ledger::is_success(result)) {
      return Error("ledger_rejected", "merchant account: " + std::string(ledger::result_name(result)));
    }
  }
  return ok_status();
}

}  // namespace mpay::merchant
