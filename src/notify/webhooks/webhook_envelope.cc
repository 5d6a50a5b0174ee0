#include "notify/webhooks/webhook_envelope.h"

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/time_text.h"

namespace mpay::notify::webhooks {
namespace {

constexpr const char* kJsonWhitespace = " \t\r\n";

// Starts with '{' and ends with '}', whitespace aside: what an object looks like from outside.
bool braced(const std::string& text) {
  size_t first = text.find_first_not_of(kJsonWhitespace);
  size_t last = text.find_last_not_of(kJsonWhitespace);
  return first != std::string::npos && last > first && text[first] == '{' && text[last] == '}';
}

// One JSON text whose value is an object (a valid text starting with '{' is one).
bool is_json_object(const std::string& text) {
  return braced(text) && nlohmann::json::accept(text);
}

}  // namespace

Result<std::string> envelope_body(const WebhookEvent& event) {
  if (!braced(event.payload_json)) {
    return Error("payload_invalid", "an event's payload must be a JSON object", "payload_json");
  }
  // Written as text (core/json_text.h, the same bytes as nlohmann's dump) so the key order is the
  // documented one (nlohmann sorts object keys), and without a JSON value built per string.
  std::string body;
  body.reserve(64 + event.event_id.size() + event.type.size() + event.payload_json.size());
  body += "{\"id\":";
  append_json_string(body, event.event_id);
  body += ",\"type\":";
  append_json_string(body, event.type);
  body += ",\"created_at\":";
  append_json_string(body, format_rfc3339_ms(event.created_at_ns));
  body += ",\"data\":";
  body += event.payload_json;
  body += '}';
  return body;
}

Status validate_event(const WebhookEvent& event) {
  auto bad = [](const char* field, const char* message) {
    return Error("event_invalid", message, field);
  };
  if (event.event_id.empty() || event.event_id.size() > kEventIdBytesMax) {
    return bad("event_id", "event_id must be 1..128 bytes");
  }
  if (event.subject_id.empty() || event.subject_id.size() > kSubjectIdBytesMax) {
    return bad("subject_id", "subject_id must be 1..128 bytes");
  }
  if (event.type.empty() || event.type.size() > kEventTypeBytesMax) {
    return bad("type", "type must be 1..64 bytes");
  }
  if (event.merchant_id.is_zero()) return bad("merchant_id", "merchant_id must not be zero");
  if (event.payload_json.size() > kPayloadBytesMax) return bad("payload_json", "payload is over 64 KiB");
  bool object = event.payload_serialized_from_object ? braced(event.payload_json)
                                                     : is_json_object(event.payload_json);
  if (!object) return bad("payload_json", "payload must be a JSON object");
  return ok_status();
}

Status validate_events(const std::vector<WebhookEvent>& events) {
  if (events.size() > kEnqueueBatchMax) {
    return Error("event_invalid",
                 "at most " + std::to_string(kEnqueueBatchMax) + " events per enqueue", "events");
  }
  for (const WebhookEvent& event : events) {
    Status valid = validate_event(event);
    if (!valid.ok()) return valid;
  }
  return ok_status();
}

}  // namespace mpay::notify::webhooks
