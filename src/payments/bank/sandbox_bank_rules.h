// SandboxBank's rules (sandbox, not a bank): how its accounts behave, decided only by the last four
// digits of the account number, so that every test and every developer gets the same answer.
//
//   last digits  link_account                          orders
//   ....0000     bank_account_not_found                -
//   ....0001     holder on file is "HOLDER MISMATCH":  like an ordinary account
//                any other name is
//                bank_account_holder_mismatch
//   ....0002     ok                                    opening balance 0: debits declined
//                                                      insufficient_funds until credits arrive
//   ....0003     ok                                    the bank never answers: the connector
//                                                      reports timed_out at answer_timeout_ms
//   ....0004     ok                                    every order declined account_closed
//   ....0005     bank_unavailable                      -
//   ....0006     ok                                    debits ordinary; every credit declined
//                                                      transaction_forbidden (so that a refund
//                                                      to the account can be declined)
//   anything     ok; the first holder name linked is   ordinary (below)
//   else         the one on file
//
// An ordinary order, checked in this order: currency other than the sandbox's account currency ->
// declined currency_not_supported; amount above the per-order limit -> declined limit_exceeded;
// a debit above the account's balance -> declined insufficient_funds; a credit that would overflow
// the balance -> declined limit_exceeded; otherwise confirmed (a debit lowers the balance, a credit
// raises it). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "payments/bank/bank_connector.h"

namespace mpay::bank {

enum class SandboxAccountRule {
  ordinary,
  not_found,
  holder_mismatch,
  empty_balance,
  never_answers,
  closed,
  unavailable,
  credits_forbidden,
};

inline constexpr std::string_view kSandboxMismatchHolderName = "HOLDER MISMATCH";

// The rule for a validated account number (at least four digits).
SandboxAccountRule sandbox_account_rule(std::string_view account_number);

// The balance a sandbox account starts with: 0 for empty_balance accounts, else `configured_minor`.
int64_t sandbox_opening_balance_minor(SandboxAccountRule rule, int64_t configured_minor);

struct SandboxOrderInput {
  SandboxAccountRule rule = SandboxAccountRule::ordinary;
  BankOrderDirection direction = BankOrderDirection::debit;
  int64_t amount_minor = 0;
  std::string_view currency;
  int64_t balance_minor = 0;
  std::string_view account_currency;
  int64_t order_amount_limit_minor = 0;
};

struct SandboxOrderDecision {
  BankOrderOutcome outcome = BankOrderOutcome::declined;
  std::string_view decline_code;  // empty unless declined
};

// The bank's answer to an order; timed_out for never_answers accounts.
SandboxOrderDecision decide_sandbox_order(const SandboxOrderInput& input);

}  // namespace mpay::bank
