// Named, stable results for every ledger command (TigerBeetle-style).
//
// The numbers are written to the journal: never renumber, only append. The names are the public API
// (JSON "status" values) and must not change either. `is_transient` says whether a rejection depended
// on the ledger's state rather than on the command's own fields: such failures are remembered, so a
// retry of the same id gets `id_already_failed` instead of a different outcome later.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mpay::ledger {

enum class CreateAccountResult : uint16_t {
  created = 0,
  exists = 1,
  exists_with_different_fields = 2,
  id_must_not_be_zero = 3,
  flags_are_mutually_exclusive = 4,
  reserved_flag = 5,
  currency_unknown = 6,
  kind_unknown = 7,
};

enum class CreateTransferResult : uint16_t {
  created = 0,
  exists = 1,
  exists_with_different_fields = 2,
  id_already_failed = 3,
  linked_event_failed = 4,
  linked_event_chain_open = 5,
  // The command's own fields.
  id_must_not_be_zero = 6,
  reserved_flag = 7,
  flags_are_mutually_exclusive = 8,
  debit_account_id_must_not_be_zero = 9,
  credit_account_id_must_not_be_zero = 10,
  accounts_must_be_different = 11,
  pending_id_must_be_zero = 12,
  pending_id_must_not_be_zero = 13,
  pending_id_must_be_different = 14,
  timeout_reserved_for_pending_transfer = 15,
  amount_must_not_be_zero = 16,
  amount_must_not_be_negative = 17,
  currency_unknown = 18,
  // The ledger's state (transient: remembered against the id).
  debit_account_not_found = 19,
  credit_account_not_found = 20,
  accounts_must_have_the_same_currency = 21,
  transfer_must_have_the_same_currency_as_accounts = 22,
  pending_transfer_not_found = 23,
  pending_transfer_not_pending = 24,
  pending_transfer_has_different_debit_account_id = 25,
  pending_transfer_has_different_credit_account_id = 26,
  pending_transfer_has_different_currency = 27,
  exceeds_pending_transfer_amount = 28,
  pending_transfer_has_different_amount = 29,
  pending_transfer_already_posted = 30,
  pending_transfer_already_voided = 31,
  pending_transfer_expired = 32,
  overflows_debits_pending = 33,
  overflows_credits_pending = 34,
  overflows_debits_posted = 35,
  overflows_credits_posted = 36,
  overflows_debits = 37,
  overflows_credits = 38,
  exceeds_credits = 39,
  exceeds_debits = 40,
};
inline constexpr uint16_t kCreateTransferResultMax = 40;

// An application event's result: applied, or not (a transfer of its submission was not created).
enum class AppEventResult : uint16_t {
  applied = 0,
  transfers_not_created = 1,
};
inline constexpr uint16_t kCreateAccountResultMax = 7;

std::string_view result_name(CreateAccountResult result);
std::string_view result_name(CreateTransferResult result);
std::optional<CreateTransferResult> transfer_result_from_number(uint16_t number);
std::optional<CreateAccountResult> account_result_from_number(uint16_t number);

// created and exists are successes; everything else is a rejection.
inline bool is_success(CreateTransferResult r) {
  return r == CreateTransferResult::created || r == CreateTransferResult::exists;
}
inline bool is_success(CreateAccountResult r) {
  return r == CreateAccountResult::created || r == CreateAccountResult::exists;
}

// A rejection caused by the ledger's state rather than the command's fields.
inline bool is_transient(CreateTransferResult r) {
  return static_cast<uint16_t>(r) >= static_cast<uint16_t>(CreateTransferResult::debit_account_not_found);
}

}  // namespace mpay::ledger
