// Start-up of payment requests, after the ledger has opened: terms, refunds, mandates and
// carriers come from mpay.db; every status comes from the journal's events (applied in journal
// order, from the archive's replay mark on: older requests stay in the archive,
// request_archive.h); bank pulls and bank refunds that were in flight are handed to the bank
// again; the changes of the last `republish_window_ns` are published again, each with the request
// as that event left it, as they were first published (on_change may wait; webhook deliveries are
// idempotent by event id, so a crash between a change and its webhook loses nothing).
#pragma once

#include <cstdint>

#include "payments/requests/request_context.h"

namespace mpay::requests {

struct RecoveryReport {
  size_t requests = 0;
  size_t events = 0;
  size_t orphan_events = 0;  // events of requests neither mpay.db nor the journal knows (logged)
  size_t archived_events = 0;    // events an archived request's row already holds
  int64_t replayed_from_ts = 0;  // the archive's replay mark: events before it were not read
  size_t bank_pulls_resumed = 0;
  size_t republished = 0;
};

Result<RecoveryReport> recover_requests(RequestContext& context, int64_t republish_window_ns);

}  // namespace mpay::requests
