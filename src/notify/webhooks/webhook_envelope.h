// The body POSTed to a merchant: the event wrapped in a fixed envelope (docs/webhooks.md).
//
//   {"id":"<event_id>","type":"<type>","created_at":"2026-11-25T13:12:45.123Z","data":{...}}
//
// Keys in this order, no whitespace; "data" is payload_json as the producer serialized it (mpay's
// producers write it compactly, keys sorted: nlohmann's dump), not parsed and rebuilt. The outbox
// validates it fully once, at enqueue (validate_event, a pass without a parse tree, skipped for a
// payload its producer serialized from an object); each attempt only checks that it is still
// braced like an object. The body is a pure function of the event, so every attempt and every
// replay of an event sends the same bytes.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "notify/webhooks/webhook_event.h"

namespace mpay::notify::webhooks {

// Errors: "payload_invalid" when payload_json is not enclosed in braces (a full check is
// validate_event's).
Result<std::string> envelope_body(const WebhookEvent& event);

// Checks what enqueue() accepts: non-empty ids and type within their limits, a JSON-object payload
// (parsed, unless payload_serialized_from_object). Errors: "event_invalid" (field names the part at
// fault).
Status validate_event(const WebhookEvent& event);
// What one enqueue accepts: at most kEnqueueBatchMax events, each valid. One invalid event
// refuses them all.
Status validate_events(const std::vector<WebhookEvent>& events);

}  // namespace mpay::notify::webhooks
