// Time-driven changes: a request nobody answered expires at its expires_at; an authorization
// nobody captured is voided at its deadline (the hold goes back to the payer). sweep_due() does
// one round; mpayd's wiring calls it every second from a background thread.
#pragma once

#include <cstddef>

#include "payments/requests/request_context.h"

namespace mpay::requests {

// Returns how many requests it changed (submitted: the changes complete asynchronously).
size_t sweep_due(RequestContext& context, size_t max = 1000);

}  // namespace mpay::requests
