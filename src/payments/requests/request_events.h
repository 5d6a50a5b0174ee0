// How payment-request changes are written into the ledger journal (ledger::AppEvent) and read
// back. The journal is the only record of a request's status: these events travel in the same
// journal record as the transfers that move the money, so status and balances cannot disagree,
// and start-up rebuilds every status by applying the events again (request_recovery.h).
//
// Event layout (numbers are stored: never change them):
//   kind 1, payment status:  subject = request id, status = PaymentStatus, user_data = funding
//     source | failure reason << 8, ref_id = the main transfer (or the hold of an authorization),
//     amount = what moved (succeeded: the amount; authorized: held; captured: captured),
//     amount2 = the fee booked (succeeded, captured), or the authorization's deadline (authorized).
//   kind 2, refund:           subject = request id, ref_id = refund id, status = RefundStatus,
//     amount = refunded, amount2 = fee returned to the merchant.
//   kind 3, created:          subject = request id, ref_id = merchant, amount = the amount,
//     amount2 = expiry time, user_data = creation time, status = CaptureMode, currency; payload =
//     the rest of the terms (layout in request_events.cc). The terms are journaled with the
//     request's creation, so one durable write (the ledger's group commit) makes a request exist.
#pragma once

#include <cstdint>

#include "core/error.h"
#include "ledger/types.h"
#include "payments/requests/request_options.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

namespace event_kinds {
inline constexpr uint16_t payment_status = 1;
inline constexpr uint16_t refund = 2;
inline constexpr uint16_t created = 3;
}  // namespace event_kinds

struct StatusChange {
  PaymentStatus status = PaymentStatus::awaiting_confirmation;
  FundingSource funding = FundingSource::none;
  FailureReason failure = FailureReason::none;
  TransferId transfer_id;
  int64_t amount_minor = 0;
  int64_t amount2 = 0;  // fee, or the authorization deadline
};

struct RefundChange {
  Id128 refund_id;
  RefundStatus status = RefundStatus::succeeded;
  int64_t amount_minor = 0;
  int64_t fee_returned_minor = 0;
};

ledger::AppEvent encode_status(const Id128& event_id, const RequestTerms& terms,
                               const StatusChange& change);
ledger::AppEvent encode_refund(const Id128& event_id, const RequestTerms& terms,
                               const RefundChange& change);
ledger::AppEvent encode_created(const Id128& event_id, const RequestTerms& terms);
// The terms a created event carries. Error "event_invalid" when it is not one.
Result<RequestTerms> decode_created(const ledger::AppEvent& event);

// The largest payload a created event can have under these limits (every description character
// taken as four bytes of UTF-8, the longest masked phone number, a mandate).
size_t created_payload_bytes_max(const RequestOptions& options);
// Error "config_invalid" when terms within these limits could exceed what the journal takes per
// event (ledger::kAppEventPayloadBytesMax): checked at start, rather than refusing creations later.
Status check_terms_fit_the_journal(const RequestOptions& options);

// Applies a status event to a request's state (timestamp: the event's ledger time).
void apply_status(RequestState& state, const ledger::AppEvent& event, int64_t timestamp);
// Applies a refund event to the request (totals) and to the refund's own record.
void apply_refund(RequestState& state, RefundRecord& refund, const ledger::AppEvent& event,
                  int64_t timestamp);

}  // namespace mpay::requests
