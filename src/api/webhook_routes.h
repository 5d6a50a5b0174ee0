// The webhook-deliveries API (docs/webhooks.md), for merchants (scope "merchant", principal
// "merchant:<uuid>" set by the merchant authorizer): a merchant sees and replays only its own.
//
//   GET  /v1/webhook-deliveries?payment_request_id=&status=&limit=&after=   newest first
//   GET  /v1/webhook-deliveries/{id}                                        with its attempts
//   POST /v1/webhook-deliveries/{id}/replay                                 idempotent; 201
//
// Handlers read and write webhooks.db, so they run on the BlockingPool. The outbox and the pool
// must outlive the router.
#pragma once

#include "api/blocking_pool.h"
#include "api/router.h"
#include "notify/webhooks/webhook_outbox.h"

namespace mpay::api {

inline constexpr size_t kWebhookReplayBodyBytesMax = 256;  // empty or "{}": replay takes no fields

void add_webhook_routes(Router& router, notify::webhooks::WebhookOutbox& outbox, BlockingPool& pool);

}  // namespace mpay::api
