// Webhook delivery numbers on /metrics, read at scrape time: deliveries pending (a count in
// webhooks.db) and, since the dispatcher started, attempts and deliveries delivered, failed and
// skipped. The webhook machinery knows nothing of Prometheus. Both must outlive the registry.
#pragma once

#include "api/metrics.h"
#include "notify/webhooks/webhook_dispatcher.h"
#include "notify/webhooks/webhook_outbox.h"

namespace mpay::api {

void add_webhook_metrics(MetricsRegistry& metrics, notify::webhooks::WebhookOutbox& outbox,
                         notify::webhooks::WebhookDispatcher& dispatcher);

}  // namespace mpay::api
