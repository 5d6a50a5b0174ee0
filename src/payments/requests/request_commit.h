// The one way a payment request changes: a claimed request's transfers and status events are
// submitted together (ledger submit_with_events); once durable, applied events update the book
// and are published to listeners, the claim is released, and `done` gets the request as it now
// is. If a transfer was refused, nothing changed: `done` gets `rejected(result)` (or, through
// commit_change_or, what follows the refusal).
#pragma once

#include <functional>
#include <vector>

#include "ledger/result_codes.h"
#include "ledger/types.h"
#include "payments/requests/request_context.h"
#include "payments/requests/request_events.h"

namespace mpay::requests {

using RequestDone = std::function<void(Result<PaymentRequest>)>;
using RejectionMapper = std::function<Error(ledger::CreateTransferResult)>;

// The default mapping: ledger_rejected naming the result.
Error ledger_rejection(ledger::CreateTransferResult result);

// `request_id` must be claimed by the caller (RequestBook::claim); it is released here, always.
// `done` runs on the ledger's completer thread (or at once on a submission error).
void commit_change(RequestContext& context, const Id128& request_id,
                   std::vector<ledger::Transfer> chain, std::vector<ledger::AppEvent> events,
                   RejectionMapper rejected, RequestDone done);

// What follows a refused chain, decided while the request is still claimed, so that no other
// action comes between the refusal and its consequence: the handler commits a follow-up change
// (commit_change, which releases the claim) or releases the claim itself and answers `done`.
using RejectionHandler = std::function<void(ledger::CreateTransferResult, RequestDone done)>;

// commit_change, except that a refused chain goes to `on_rejection` with the claim held.
void commit_change_or(RequestContext& context, const Id128& request_id,
                      std::vector<ledger::Transfer> chain, std::vector<ledger::AppEvent> events,
                      RejectionHandler on_rejection, RequestDone done);

// A status event with a fresh event id.
ledger::AppEvent status_event(RequestContext& context, const RequestTerms& terms,
                              const StatusChange& change);

}  // namespace mpay::requests
