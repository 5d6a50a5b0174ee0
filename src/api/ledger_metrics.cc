#include "api/ledger_metrics.h"

namespace mpay::api {

std::function<void(std::span<const uint32_t>, uint64_t)> ledger_commit_observer(
    MetricsRegistry& registry) {
  Histogram& batch_events = registry.histogram(
      "mpay_ledger_batch_events", "Events per journal batch.",
      power_of_two_buckets(ledger::LedgerOptions{}.batch_events_max));
  Histogram& commit_seconds = registry.histogram(
      "mpay_ledger_commit_duration_seconds",
      "Time to append one store transaction of journal batches (durable when it returns).",
      latency_buckets_seconds());
  return [&batch_events, &commit_seconds](std::span<const uint32_t> events, uint64_t commit_ns) {
    for (uint32_t count : events) batch_events.observe(static_cast<double>(count));
    commit_seconds.observe(static_cast<double>(commit_ns) / 1e9);
  };
}

void add_ledger_metrics(MetricsRegistry& registry, const ledger::Ledger& ledger) {
  const ledger::Ledger* source = &ledger;
  auto add = [&](CallbackKind kind, const char* name, const char* help,
                 auto field) {
    registry.callback(kind, name, help, [source, field] {
      return static_cast<double>(field(source->stats()));
    });
  };
  using Stats = ledger::LedgerStats;
  constexpr CallbackKind gauge = CallbackKind::gauge;
  constexpr CallbackKind counter = CallbackKind::counter;
  add(gauge, "mpay_ledger_committed_batch", "Sequence number of the last durable journal batch.",
      [](const Stats& s) { return s.committed_seq; });
  add(gauge, "mpay_ledger_projected_batch",
      "Sequence number of the last batch written to the query projections.",
      [](const Stats& s) { return s.projected_seq; });
  add(gauge, "mpay_ledger_tail_events",
      "Events committed but not yet projected (projector lag).",
      [](const Stats& s) { return s.tail_events; });
  add(gauge, "mpay_ledger_accounts", "Accounts in the ledger.",
      [](const Stats& s) { return s.accounts; });
  add(gauge, "mpay_ledger_pending_transfers", "Two-phase transfers waiting for post, void or expiry.",
      [](const Stats& s) { return s.pending_transfers; });
  add(gauge, "mpay_ledger_queued_events",
      "Events submitted and waiting for the writer (writer queue depth).",
      [](const Stats& s) { return s.queued_events; });
  add(gauge, "mpay_ledger_snapshot_batch", "Sequence number of the newest snapshot.",
      [](const Stats& s) { return s.snapshot_seq; });
  add(counter, "mpay_ledger_events_committed_total", "Events made durable in the journal.",
      [](const Stats& s) { return s.events_committed; });
  add(counter, "mpay_ledger_batches_committed_total", "Journal batches made durable.",
      [](const Stats& s) { return s.batches_committed; });
  add(counter, "mpay_ledger_commits_total",
      "Store transactions appending journal batches (one may carry several batches).",
      [](const Stats& s) { return s.commits; });
  add(counter, "mpay_ledger_commit_seconds_total", "Time spent in journal appends.",
      [](const Stats& s) { return static_cast<double>(s.commit_ns_total) / 1e9; });
  add(counter, "mpay_ledger_events_projected_total", "Events written to the query projections.",
      [](const Stats& s) { return s.events_projected; });
}

}  // namespace mpay::api
