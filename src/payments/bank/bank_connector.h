// The bank connector: how the wallet service talks to a bank. The public face of
// src/payments/bank/.
//
// A BankConnector links a user's bank account (synchronously) and moves money between the user's
// bank account and the platform (asynchronously: a bank answers later). No real bank is reachable
// from this project; SandboxBank (sandbox_bank.h) is the one implementation, a sandbox for
// development and tests that behaves like a bank. It is not a bank.
//
// Money movements. `debit` pulls money from the user's bank account (a top-up), `credit` pushes
// money to it (a withdrawal). Each order carries a reference chosen by the caller, unique forever:
// it is the idempotency key. For an accepted order (the call returns ok) `done` is called exactly
// once, from the connector's own thread, never from inside the debit/credit call, and at the
// latest answer_timeout_ms (a connector option) after acceptance plus scheduling delay: if the bank
// has not answered by then the connector itself reports `timed_out`.
//
// Outcomes are final. `confirmed`: the money moved, once. `declined`: it did not move and never
// will; decline_code says why. `timed_out`: it did not move and never will either; a connector
// must guarantee that (by cancelling the order at the bank, or by a bank protocol in which an order
// unanswered by its deadline expires), because the wallet voids a pending withdrawal on timed_out.
// A connector that cannot guarantee it must not report timed_out; see README.md.
//
// Idempotency. The same reference with the same fields (direction, token, amount, currency) is the
// same order: if it is still in flight, `done` is called with its result when it arrives; if it is
// final, `done` is called again with the same result. Never a second movement. The same reference
// with different fields is refused at once with bank_reference_reused.
//
// Immediate errors (returned by debit/credit; `done` is then never called), by code:
//   bank_order_invalid        a field of the order is malformed (Error::field names it)
//   bank_account_token_unknown  the token was not issued by this connector's link_account
//   bank_reference_reused     the reference is known with different fields
//   bank_busy                 the connector's queue is full (queue_max); retry later
//   bank_unavailable          the connector is shutting down or cannot reach the bank
// link_account errors: bank_account_invalid (format; Error::field names the field),
// bank_account_not_found, bank_account_holder_mismatch, bank_unavailable.
//
// Threads: every method may be called from any thread. `done` must be quick (post the result
// elsewhere), must not throw, and may call back into the connector.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay::bank {

// What bank_connector.h accepts (checked by validate_bank_account, bank_account_format.h):
//   bank_code       either a bank's short code, 2 to 10 upper-case ASCII letters ("ICBC", "BOCOM"),
//                   or a 12-digit CNAPS bank code ("102100099996"); the two spellings of one bank
//                   are not unified here.
//   account_number  10 to 30 ASCII digits, nothing else (no spaces or dashes: the API edge
//                   normalises what a user typed).
//   holder_name     1 to 100 bytes of UTF-8 without control characters, not blank.
struct BankAccount {
  std::string bank_code;
  std::string account_number;
  std::string holder_name;
};

struct LinkResult {
  std::string bank_account_token;     // opaque handle from the bank; what orders refer to
  std::string masked_account_number;  // "6222 **** **** 1234": first four and last four digits
};

enum class BankOrderDirection { debit, credit };

struct BankOrder {
  // Idempotency key chosen by the caller, unique forever: 1 to 64 characters from
  // [A-Za-z0-9._:-] (safe in file names, CSV and URLs without escaping).
  std::string reference;
  std::string bank_account_token;
  int64_t amount_minor = 0;  // > 0, in minor units of `currency`
  std::string currency;      // ISO 4217 code known to core/currency.h, e.g. "CNY"
};

enum class BankOrderOutcome { confirmed, declined, timed_out };

struct BankOrderResult {
  std::string reference;
  BankOrderOutcome outcome = BankOrderOutcome::timed_out;
  std::string decline_code;         // set when declined; see kDecline* below
  std::string bank_transaction_id;  // the bank's id for the order when it answered; empty on timed_out

  friend bool operator==(const BankOrderResult&, const BankOrderResult&) = default;
};

using BankOrderCallback = std::function<void(BankOrderResult)>;

// Decline codes a connector reports. Declines are final for that order; a new order (new
// reference) may succeed later for insufficient_funds and limit_exceeded, never for account_closed,
// currency_not_supported or transaction_forbidden (the account does not take orders of that
// direction, ISO 20022 reason AG01).
inline constexpr std::string_view kDeclineInsufficientFunds = "insufficient_funds";
inline constexpr std::string_view kDeclineAccountClosed = "account_closed";
inline constexpr std::string_view kDeclineLimitExceeded = "limit_exceeded";
inline constexpr std::string_view kDeclineCurrencyNotSupported = "currency_not_supported";
inline constexpr std::string_view kDeclineTransactionForbidden = "transaction_forbidden";

// "debit" / "credit"; "confirmed" / "declined" / "timed_out".
std::string_view to_string(BankOrderDirection direction);
std::string_view to_string(BankOrderOutcome outcome);

class BankConnector {
 public:
  virtual ~BankConnector() = default;

  // A name for logs and the operator console, e.g. "sandbox (not a bank)".
  virtual std::string_view connector_name() const = 0;

  // Checks the account with the bank and returns a token for it. Blocks the calling thread for one
  // round trip to the bank. Linking the same account again returns the same token.
  virtual Result<LinkResult> link_account(const BankAccount& account) = 0;

  // Pulls order.amount_minor from the user's bank account (top-up). See the contract above.
  virtual Status debit(const BankOrder& order, BankOrderCallback done) = 0;

  // Pushes order.amount_minor to the user's bank account (withdrawal). See the contract above.
  virtual Status credit(const BankOrder& order, BankOrderCallback done) = 0;

  // The final result of an order, for reconciliation after a restart. std::nullopt when the bank
  // has no final result for the reference: never received, still in flight, or received but not
  // answered before a crash of the connector's process. Resubmitting the same order is then safe
  // (it cannot move money twice). Errors: bank_order_invalid (malformed reference),
  // bank_unavailable.
  virtual Result<std::optional<BankOrderResult>> status(const std::string& reference) = 0;
};

}  // namespace mpay::bank
