#include "payments/requests/request_events.h"

namespace mpay::requests {

ledger::AppEvent encode_status(const Id128& event_id, const RequestTerms& terms,
                               const StatusChange& change) {
  ledger::AppEvent event;
  event.id = event_id;
  event.subject_id = terms.id;
  event.ref_id = change.transfer_id.value();
  event.amount = change.amount_minor;
  event.amount2 = change.amount2;
  event.user_data = static_cast<uint64_t>(change.funding) |
                    (static_cast<uint64_t>(change.failure) << 8);
  event.kind = event_kinds::payment_status;
  event.status = static_cast<uint16_t>(change.status);
  event.currency = terms.currency;
  return event;
}

ledger::AppEvent encode_refund(const Id128& event_id, const RequestTerms& terms,
                               const RefundChange& change) {
  ledger::AppEvent event;
  event.id = event_id;
  event.subject_id = terms.id;
  event.ref_id = change.refund_id;
  event.amount = change.amount_minor;
  event.amount2 = change.fee_returned_minor;
  event.kind = event_kinds::refund;
  event.status = static_cast<uint16_t>(change.status);
  event.currency = terms.currency;
  return event;
}

void apply_status(RequestState& state, const ledger::AppEvent& event, int64_t timestamp) {
  auto status = static_cast<PaymentStatus>(event.status);
  auto funding = static_cast<FundingSource>(event.user_data & 0xFF);
  state.status = status;
  state.updated_at_ns = timestamp;
  if (funding != FundingSource::none) state.funding = funding;
  switch (status) {
    case PaymentStatus::succeeded:
      state.authorized_minor = event.amount;
      state.captured_minor = event.amount;
      state.fee_minor = event.amount2;
      break;
    case PaymentStatus::authorized:
      state.authorized_minor = event.amount;
      state.hold_id = TransferId(event.ref_id);
      state.authorization_expires_at_ns = event.amount2;
      break;
    case PaymentStatus::captured:
      state.captured_minor = event.amount;
      state.fee_minor = event.amount2;
      break;
    case PaymentStatus::failed:
      state.failure = static_cast<uint16_t>((event.user_data >> 8) & 0xFF);
      break;
    default:
      break;
  }
}

void apply_refund(RequestState& state, RefundRecord& refund, const ledger::AppEvent& event,
                  int64_t timestamp) {
  auto status = static_cast<RefundStatus>(event.status);
  refund.status = status;
  refund.settled_at_ns = timestamp;
  state.updated_at_ns = timestamp;
  if (status != RefundStatus::succeeded) return;
  refund.fee_returned_minor = event.amount2;
  state.refunded_minor += event.amount;
  state.fee_returned_minor += event.amount2;
}

}  // namespace mpay::requests
