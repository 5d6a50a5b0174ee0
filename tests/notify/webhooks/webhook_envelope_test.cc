#include "notify/webhooks/webhook_envelope.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mpay::notify::webhooks {
namespace {

WebhookEvent event_with(std::string payload) {
  return WebhookEvent{"evt_1", Id128{0, 7}, "pr_1", "payment_request.expired", std::move(payload), 0};
}

TEST(WebhookEnvelope, WrapsThePayloadInTheDocumentedOrder) {
  Result<std::string> body = envelope_body(event_with(R"({"a":"x","b":{"c":[1,2]}})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(
      *body,
      R"({"id":"evt_1","type":"payment_request.expired","created_at":"1970-01-01T00:00:00.000Z",)"
      R"("data":{"a":"x","b":{"c":[1,2]}}})");
  EXPECT_TRUE(nlohmann::json::accept(*body));
}

// Ids and types are producers' text: escaped exactly as nlohmann's dump escapes them (control
// characters, quotes, non-ASCII kept, invalid UTF-8 replaced), so the body stays one JSON text.
TEST(WebhookEnvelope, EscapesIdAndTypeAsJsonStrings) {
  auto dump = [](const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  WebhookEvent event = event_with("{}");
  event.event_id = "evt \"1\"\n\t\\ \x01 caf\xc3\xa9";
  event.type = "type\xff";
  Result<std::string> body = envelope_body(event);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "{\"id\":" + dump(event.event_id) + ",\"type\":" + dump(event.type) +
                       ",\"created_at\":\"1970-01-01T00:00:00.000Z\",\"data\":{}}");
  nlohmann::json parsed = nlohmann::json::parse(*body);
  EXPECT_EQ(parsed["id"], event.event_id);
  EXPECT_EQ(parsed["type"], "type\xef\xbf\xbd");  // U+FFFD
}

// The payload is the producer's serialization: checked, and sent as it is.
TEST(WebhookEnvelope, SendsThePayloadAsTheProducerSerializedIt) {
  Result<std::string> body = envelope_body(event_with(R"({"b":1,"a":"x\u00e9"})"));
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find(R"("data":{"b":1,"a":"x\u00e9"}})"), std::string::npos) << *body;
}

// The outbox validates a payload fully once, when it is enqueued; each attempt only checks that it
// is still braced like an object.
TEST(WebhookEnvelope, RefusesAPayloadThatIsNotAnObject) {
  for (const char* payload : {"[1]", "{", "}", "", "  ", "1", "\"{}\"", "{}]", "null"}) {
    EXPECT_EQ(envelope_body(event_with(payload)).error().code, "payload_invalid") << payload;
    EXPECT_EQ(validate_event(event_with(payload)).error().field, "payload_json") << payload;
  }
  for (const char* braced_but_invalid : {"{} {}", "{\"a\":1,}", "{\"a\":\"\xff\"}", "{]}"}) {
    EXPECT_EQ(validate_event(event_with(braced_but_invalid)).error().field, "payload_json")
        << braced_but_invalid;
  }
  EXPECT_TRUE(envelope_body(event_with(" \n{} ")).ok());
  EXPECT_TRUE(validate_event(event_with(" \n{} ")).ok());
}

TEST(WebhookEnvelope, ValidatesEvents) {
  EXPECT_TRUE(validate_event(event_with("{}")).ok());
  WebhookEvent no_id = event_with("{}");
  no_id.event_id.clear();
  EXPECT_EQ(validate_event(no_id).error().field, "event_id");
  WebhookEvent no_merchant = event_with("{}");
  no_merchant.merchant_id = Id128{};
  EXPECT_EQ(validate_event(no_merchant).error().field, "merchant_id");
  WebhookEvent long_type = event_with("{}");
  long_type.type.assign(kEventTypeBytesMax + 1, 'x');
  EXPECT_EQ(validate_event(long_type).error().field, "type");
  EXPECT_EQ(validate_event(event_with("\"text\"")).error().field, "payload_json");
}

// A payload its producer marks as serialized from an object is not parsed again: only its size
// and braces are checked. Unmarked, the same text is parsed and refused.
TEST(WebhookEnvelope, AMarkedPayloadIsCheckedOnlyForItsBraces) {
  WebhookEvent event = event_with("{\"a\":1,}");
  EXPECT_EQ(validate_event(event).error().field, "payload_json");
  event.payload_serialized_from_object = true;
  EXPECT_TRUE(validate_event(event).ok());
  for (const char* not_braced : {"[1]", "\"{}\"", ""}) {
    event.payload_json = not_braced;
    EXPECT_EQ(validate_event(event).error().field, "payload_json") << not_braced;
  }
  event.payload_json = "{" + std::string(kPayloadBytesMax, ' ') + "}";
  EXPECT_EQ(validate_event(event).error().field, "payload_json");
}

}  // namespace
}  // namespace mpay::notify::webhooks
