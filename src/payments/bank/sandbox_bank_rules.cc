#include "payments/bank/sandbox_bank_rules.h"

#include "core/check.h"
#include "core/money.h"

namespace mpay::bank {

SandboxAccountRule sandbox_account_rule(std::string_view account_number) {
  MPAY_CHECK(account_number.size() >= 4, "sandbox_account_rule needs a validated account number");
  std::string_view last_digits = account_number.substr(account_number.size() - 4);
  if (last_digits == "0000") return SandboxAccountRule::not_found;
  if (last_digits == "0001") return SandboxAccountRule::holder_mismatch;
  if (last_digits == "0002") return SandboxAccountRule::empty_balance;
  if (last_digits == "0003") return SandboxAccountRule::never_answers;
  if (last_digits == "0004") return SandboxAccountRule::closed;
  if (last_digits == "0005") return SandboxAccountRule::unavailable;
  if (last_digits == "0006") return SandboxAccountRule::credits_forbidden;
  return SandboxAccountRule::ordinary;
}

int64_t sandbox_opening_balance_minor(SandboxAccountRule rule, int64_t configured_minor) {
  return rule == SandboxAccountRule::empty_balance ? 0 : configured_minor;
}

SandboxOrderDecision decide_sandbox_order(const SandboxOrderInput& input) {
  auto declined = [](std::string_view code) {
    return SandboxOrderDecision{BankOrderOutcome::declined, code};
  };
  if (input.rule == SandboxAccountRule::never_answers) {
    return SandboxOrderDecision{BankOrderOutcome::timed_out, {}};
  }
  if (input.rule == SandboxAccountRule::closed) return declined(kDeclineAccountClosed);
  if (input.rule == SandboxAccountRule::credits_forbidden &&
      input.direction == BankOrderDirection::credit) {
    return declined(kDeclineTransactionForbidden);
  }
  if (input.currency != input.account_currency) return declined(kDeclineCurrencyNotSupported);
  if (input.amount_minor > input.order_amount_limit_minor) return declined(kDeclineLimitExceeded);
  if (input.direction == BankOrderDirection::debit) {
    if (input.amount_minor > input.balance_minor) return declined(kDeclineInsufficientFunds);
  } else {
    int64_t raised_minor = 0;
    if (!checked_add(input.balance_minor, input.amount_minor, &raised_minor)) {
      return declined(kDeclineLimitExceeded);
    }
  }
  return SandboxOrderDecision{BankOrderOutcome::confirmed, {}};
}

}  // namespace mpay::bank
