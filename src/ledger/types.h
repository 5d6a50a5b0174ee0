// The ledger's data model: accounts and transfers, modelled on TigerBeetle's public data model.
//
// Amounts are int64 minor units of the account's ISO 4217 currency (numeric code). Every movement is
// one transfer from a debit account to a credit account of the same currency, so the sum over all
// accounts of (credits - debits) is zero for every currency, at every moment.
// These are plain values; no thread-safety concerns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ids.h"

namespace mpay::ledger {

// What an account is for. Stored in the journal as a number: never renumber.
enum class AccountKind : uint16_t {
  user_wallet = 1,
  merchant = 2,
  fee_income = 3,
  bank_clearing = 4,
  carrier_receivable = 5,
  settlement = 6,
  suspense = 7,
  system = 8,  // equity, opening balances, test funding
};
inline constexpr uint16_t kAccountKindMax = 8;

namespace account_flags {
inline constexpr uint16_t debits_must_not_exceed_credits = 1u << 0;  // e.g. a wallet: no overdraft
inline constexpr uint16_t credits_must_not_exceed_debits = 1u << 1;  // e.g. a clearing account
inline constexpr uint16_t all = debits_must_not_exceed_credits | credits_must_not_exceed_debits;
}  // namespace account_flags

namespace transfer_flags {
inline constexpr uint16_t linked = 1u << 0;                 // succeeds or fails with the next event
inline constexpr uint16_t pending = 1u << 1;                // phase one: reserve
inline constexpr uint16_t post_pending_transfer = 1u << 2;  // phase two: move (all or part)
inline constexpr uint16_t void_pending_transfer = 1u << 3;  // phase two: release
inline constexpr uint16_t all = linked | pending | post_pending_transfer | void_pending_transfer;
}  // namespace transfer_flags

struct Account {
  AccountId id;
  uint64_t user_data = 0;
  uint16_t currency = 0;  // ISO 4217 numeric
  AccountKind kind = AccountKind::system;
  uint16_t flags = 0;
  uint16_t code = 0;  // free for the application: a chart-of-accounts code
};

struct AccountBalances {
  int64_t debits_pending = 0;
  int64_t debits_posted = 0;
  int64_t credits_pending = 0;
  int64_t credits_posted = 0;
};

// An account as the ledger holds it: the immutable fields, the balances, and when it was created.
struct AccountState {
  Account account;
  AccountBalances balances;
  int64_t timestamp = 0;  // ledger time of creation, nanoseconds since the Unix epoch
};

// A transfer as a client submits it. For post/void, debit/credit/currency may be zero ("take them
// from the pending transfer") and amount may be zero ("the full pending amount").
struct Transfer {
  TransferId id;
  AccountId debit_account_id;
  AccountId credit_account_id;
  TransferId pending_id;  // the pending transfer that a post/void resolves; zero otherwise
  int64_t amount = 0;
  uint64_t user_data = 0;
  uint32_t timeout_s = 0;  // pending only: 0 = never expires
  uint16_t currency = 0;
  uint16_t code = 0;  // the kind of transfer, for the application
  uint16_t flags = 0;

  friend bool operator==(const Transfer&, const Transfer&) = default;
};

// A business event that travels in the journal beside the transfers it depends on, so that an
// order's status and its money can never disagree (a payment request becoming paid, a refund).
// The ledger does not interpret it: it records it in the same journal record as the transfers of
// the same submission, applied only if every one of those transfers was created. The application
// keeps its own meaning for kind, status and the amounts, and for `payload`: opaque bytes that
// travel with the event (e.g. the terms of a payment request as created), so that a record the
// application would otherwise write to a second store is durable in the same journal commit.
inline constexpr size_t kAppEventPayloadBytesMax = 16 * 1024;

struct AppEvent {
  Id128 id;          // unique event id, chosen by the application
  Id128 subject_id;  // what it is about, e.g. a payment request
  Id128 ref_id;      // a related object (e.g. a refund); zero if none
  int64_t amount = 0;
  int64_t amount2 = 0;
  uint64_t user_data = 0;
  uint16_t kind = 0;
  uint16_t status = 0;
  uint16_t currency = 0;
  std::string payload;  // at most kAppEventPayloadBytesMax; journaled in app_payload entries

  friend bool operator==(const AppEvent&, const AppEvent&) = default;
};

// What became of a pending transfer. Stored as a number in projections: never renumber.
enum class PendingStatus : uint8_t {
  none = 0,  // not a pending transfer
  pending = 1,
  posted = 2,
  voided = 3,
  expired = 4,
};

}  // namespace mpay::ledger
