// Time-driven changes: a request nobody answered expires at its expires_at; an authorization
// nobody captured is voided at its deadline (the hold goes back to the payer). sweep_due() does
// one round; mpayd's wiring calls it every second from a background thread. An answer that comes
// after the time but before the sweep records what the sweep would have, and is told so: the
// sweep's timing changes neither the outcome nor the answer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "payments/requests/request_commit.h"

namespace mpay::requests {

// Returns how many requests it changed (submitted: the changes complete asynchronously).
size_t sweep_due(RequestContext& context, size_t max = 1000);

// Whether time has ended what `request` waits for at `now_ns`: a confirmation (at or past its
// expires_at) or, authorized, a capture (at or past the authorization's deadline).
bool has_lapsed(const PaymentRequest& request, int64_t now_ns);

// For a claimed request awaiting confirmation that has lapsed: records `expired`, then answers
// payment_request_expired (or why recording failed).
void expire_then_refuse(RequestContext& context, const PaymentRequest& claimed, RequestDone done);

// For a claimed authorization that has lapsed: voids it (void_claimed), then answers
// payment_request_not_authorized, "this payment request is voided" (or why voiding failed).
void void_then_refuse(RequestContext& context, const PaymentRequest& claimed, RequestDone done);

// An answer refused as payment_request_not_awaiting_confirmation because the request expired
// (by the sweep or an earlier answer) gets payment_request_expired; any other refusal is kept.
Error expired_or(RequestContext& context, const Id128& request_id, Error refused);

}  // namespace mpay::requests
