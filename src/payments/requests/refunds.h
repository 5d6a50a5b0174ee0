// Refunds: a merchant gives back part or all of what it captured, in one or several refunds,
// never more than was captured in total. Each refund is a new transfer back to the original
// funding source, booked with its refund event in one journal record; the merchant's fee comes
// back in proportion when RequestOptions::refund_returns_fee (fees.h has the rounding rule).
//   wallet      merchant -> the payer's wallet, at once;
//   phone_bill  merchant -> the carrier's receivable (the charge comes off the bill), at once;
//   bank        held from the merchant (pending) with the fee's return and a pending refund event,
//               pushed to the bank account the payer paid from; posted when the bank confirms,
//               released with the fee charged again (refund failed) when it declines. Status
//               pending meanwhile; a restart hands the push to the bank again under the same
//               reference.
#pragma once

#include <string>

#include "payments/requests/request_commit.h"

namespace mpay::requests {

struct RefundRequest {
  int64_t amount_minor = 0;
  std::string reason;
};

using RefundDone = std::function<void(Result<RefundRecord>)>;

// Errors: payment_request_not_found, payment_request_busy, payment_request_not_refundable,
// refund_amount_exceeds_captured (field "amount"), refund_reason_too_long (field "reason"),
// refunds_limit_reached, merchant_balance_insufficient, store_error, bank_*.
void refund_payment_request(RequestContext& context, const MerchantId& merchant,
                            const Id128& request_id, const RefundRequest& request, RefundDone done);

// After a restart: a pending bank refund whose hold stands is pushed to the bank again (same
// reference: the bank repeats its answer, money moves once); any other pending refund stopped
// before its money moved and is recorded as failed.
void resume_refunds(RequestContext& context);

}  // namespace mpay::requests
