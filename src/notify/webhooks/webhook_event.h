// What happened, for one merchant: the unit the rest of mpay hands to the webhook outbox.
//
// event_id is chosen by the producer and is the idempotency key of WebhookOutbox::enqueue (the
// payment-request engine re-derives events from the ledger journal after a crash and enqueues them
// again). subject_id is the ordering key: a merchant receives the events of one subject (one
// payment request) in the order they were enqueued. payload_json is the event's "data" object,
// already serialized (compactly, keys sorted, as nlohmann's dump writes it: it is sent as given);
// the outbox wraps it in the envelope of webhook_envelope.h. Plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ids.h"

namespace mpay::notify::webhooks {

struct WebhookEvent {
  std::string event_id;  // e.g. "evt_0190f4c2..."; unique across all events
  Id128 merchant_id;
  std::string subject_id;    // the payment request id: events of one subject are sent in order
  std::string type;          // "payment_request.succeeded", "refund.succeeded", ...
  std::string payload_json;  // a JSON object: the envelope's "data"
  int64_t created_at_ns = 0;
  // The producer wrote payload_json with a JSON serializer, from an object (the payment feed:
  // api/payment_request_text.h): validation need not parse it again, which cost the feed a fifth
  // of its time. Left false, the outbox checks the payload fully.
  bool payload_serialized_from_object = false;
};

inline constexpr size_t kEventIdBytesMax = 128;
inline constexpr size_t kSubjectIdBytesMax = 128;
inline constexpr size_t kEventTypeBytesMax = 64;
inline constexpr size_t kPayloadBytesMax = 64 * 1024;
inline constexpr size_t kEnqueueBatchMax = 4096;  // events per enqueue() call

}  // namespace mpay::notify::webhooks
