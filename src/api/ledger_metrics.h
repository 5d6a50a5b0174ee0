// The ledger's metrics, in two parts because the ledger is opened between them:
//
//   ledger_commit_observer(registry)  before Ledger::open: registers the histograms the committer
//       feeds and returns the hook for LedgerOptions::on_commit:
//         mpay_ledger_batch_events                 histogram, events per journal batch
//         mpay_ledger_commit_duration_seconds      histogram, one store transaction's append
//   add_ledger_metrics(registry, ledger)  after: gauges and counters read from Ledger::stats() at
//       scrape time:
//         mpay_ledger_committed_batch, mpay_ledger_projected_batch, mpay_ledger_tail_events
//         (committed, not yet projected), mpay_ledger_accounts, mpay_ledger_pending_transfers,
//         mpay_ledger_queued_events (submitted, waiting for the writer), mpay_ledger_snapshot_batch
//         (gauges); mpay_ledger_events_committed_total, mpay_ledger_batches_committed_total,
//         mpay_ledger_commits_total (store transactions), mpay_ledger_commit_seconds_total,
//         mpay_ledger_events_projected_total (counters).
//
// The ledger itself knows nothing of Prometheus: it exposes plain numbers and a callback. Call
// each function once per registry. The registry must outlive the hook; the ledger must outlive
// the registry's last render().
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "api/metrics.h"
#include "ledger/ledger.h"

namespace mpay::api {

std::function<void(std::span<const uint32_t> batch_events, uint64_t commit_ns)>
ledger_commit_observer(MetricsRegistry& registry);

void add_ledger_metrics(MetricsRegistry& registry, const ledger::Ledger& ledger);

}  // namespace mpay::api
