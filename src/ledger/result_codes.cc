#include "ledger/result_codes.h"

#include <array>

namespace mpay::ledger {
namespace {

constexpr std::array<std::string_view, kCreateAccountResultMax + 1> kAccountResultNames{
    "created",        "exists",          "exists_with_different_fields", "id_must_not_be_zero",
    "flags_are_mutually_exclusive", "reserved_flag", "currency_unknown", "kind_unknown",
};

constexpr std::array<std::string_view, kCreateTransferResultMax + 1> kTransferResultNames{
    "created",
    "exists",
    "exists_with_different_fields",
    "id_already_failed",
    "linked_event_failed",
    "linked_event_chain_open",
    "id_must_not_be_zero",
    "reserved_flag",
    "flags_are_mutually_exclusive",
    "debit_account_id_must_not_be_zero",
    "credit_account_id_must_not_be_zero",
    "accounts_must_be_different",
    "pending_id_must_be_zero",
    "pending_id_must_not_be_zero",
    "pending_id_must_be_different",
    "timeout_reserved_for_pending_transfer",
    "amount_must_not_be_zero",
    "amount_must_not_be_negative",
    "currency_unknown",
    "debit_account_not_found",
    "credit_account_not_found",
    "accounts_must_have_the_same_currency",
    "transfer_must_have_the_same_currency_as_accounts",
    "pending_transfer_not_found",
    "pending_transfer_not_pending",
    "pending_transfer_has_different_debit_account_id",
    "pending_transfer_has_different_credit_account_id",
    "pending_transfer_has_different_currency",
    "exceeds_pending_transfer_amount",
    "pending_transfer_has_different_amount",
    "pending_transfer_already_posted",
    "pending_transfer_already_voided",
    "pending_transfer_expired",
    "overflows_debits_pending",
    "overflows_credits_pending",
    "overflows_debits_posted",
    "overflows_credits_posted",
    "overflows_debits",
    "overflows_credits",
    "exceeds_credits",
    "exceeds_debits",
};

}  // namespace

std::string_view result_name(CreateAccountResult result) {
  return kAccountResultNames.at(static_cast<uint16_t>(result));
}

std::string_view result_name(CreateTransferResult result) {
  return kTransferResultNames.at(static_cast<uint16_t>(result));
}

std::optional<CreateTransferResult> transfer_result_from_number(uint16_t number) {
  if (number > kCreateTransferResultMax) return std::nullopt;
  return static_cast<CreateTransferResult>(number);
}

std::optional<CreateAccountResult> account_result_from_number(uint16_t number) {
  if (number > kCreateAccountResultMax) return std::nullopt;
  return static_cast<CreateAccountResult>(number);
}

}  // namespace mpay::ledger
