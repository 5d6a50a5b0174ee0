#include "api/webhook_metrics.h"

namespace mpay::api {

void add_webhook_metrics(MetricsRegistry& metrics, notify::webhooks::WebhookOutbox& outbox,
                         notify::webhooks::WebhookDispatcher& dispatcher) {
  metrics.callback(CallbackKind::gauge, "mpay_webhook_deliveries_pending", "Webhook deliveries not yet finished",
                   [&outbox] {
                     Result<int64_t> pending = outbox.pending_count();
                     return pending.ok() ? static_cast<double>(*pending) : -1.0;  // -1: could not read
                   });
  auto counter = [&](const char* name, const char* help, uint64_t notify::webhooks::DispatcherStats::*field) {
    metrics.callback(CallbackKind::counter, name, help,
                     [&dispatcher, field] { return static_cast<double>(dispatcher.stats().*field); });
  };
  using Stats = notify::webhooks::DispatcherStats;
  counter("mpay_webhook_attempts_total", "Webhook delivery attempts made", &Stats::attempts);
  counter("mpay_webhook_deliveries_delivered_total", "Webhook deliveries answered with a 2xx", &Stats::delivered);
  counter("mpay_webhook_deliveries_failed_total", "Webhook deliveries given up after the retry window",
          &Stats::failed);
  counter("mpay_webhook_deliveries_skipped_total", "Webhook deliveries skipped (no URL or secret)", &Stats::skipped);
}

}  // namespace mpay::api
