// The created event (request_events.h, kind 3): the terms a request is created with come back
// whole from the journal, and a payload that is not one is refused, never half read.
#include <gtest/gtest.h>

#include <string>

#include "core/phone.h"
#include "payments/requests/request_events.h"

namespace mpay::requests {
namespace {

RequestTerms full_terms() {
  RequestTerms terms;
  terms.id = Id128{1, 2};
  terms.merchant_id = Id128{3, 4};
  terms.merchant_reference = "order-7781";
  terms.payer_id = wallet::UserId(Id128{5, 6});
  terms.payer_phone_masked = "+86 139 **** 0031";
  terms.amount_minor = 12'345;
  terms.currency = 156;
  terms.description = "two croissants \xE2\x82\xAC";  // UTF-8 kept byte for byte
  terms.metadata_json = R"({"table":"4"})";
  terms.capture = CaptureMode::manual;
  terms.created_at_ns = 1'795'000'000'000'000'000;
  terms.expires_at_ns = 1'795'000'900'000'000'000;
  terms.mandate_id = Id128{7, 8};
  return terms;
}

void expect_same_terms(const RequestTerms& a, const RequestTerms& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.merchant_id, b.merchant_id);
  EXPECT_EQ(a.merchant_reference, b.merchant_reference);
  EXPECT_EQ(a.payer_id, b.payer_id);
  EXPECT_EQ(a.payer_phone_masked, b.payer_phone_masked);
  EXPECT_EQ(a.amount_minor, b.amount_minor);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.metadata_json, b.metadata_json);
  EXPECT_EQ(a.capture, b.capture);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
  EXPECT_EQ(a.expires_at_ns, b.expires_at_ns);
  EXPECT_EQ(a.mandate_id, b.mandate_id);
}

TEST(RequestEventsTest, CreatedEventsGiveBackTheirTermsWithAndWithoutAMandate) {
  RequestTerms terms = full_terms();
  ledger::AppEvent event = encode_created(Id128{9, 9}, terms);
  EXPECT_EQ(event.kind, event_kinds::created);
  EXPECT_EQ(event.subject_id, terms.id);
  EXPECT_LE(event.payload.size(), ledger::kAppEventPayloadBytesMax);
  Result<RequestTerms> decoded = decode_created(event);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_terms(*decoded, terms);

  terms.mandate_id.reset();
  terms.description.clear();
  terms.capture = CaptureMode::automatic;
  decoded = decode_created(encode_created(Id128{9, 10}, terms));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_terms(*decoded, terms);
}

TEST(RequestEventsTest, EveryTruncationOrExtensionOfThePayloadIsRefused) {
  ledger::AppEvent event = encode_created(Id128{9, 9}, full_terms());
  const std::string payload = event.payload;
  for (size_t size = 0; size < payload.size(); ++size) {
    event.payload = payload.substr(0, size);
    Result<RequestTerms> decoded = decode_created(event);
    ASSERT_FALSE(decoded.ok()) << "cut to " << size << " bytes";
    EXPECT_EQ(decoded.error().code, "event_invalid");
  }
  event.payload = payload + '\0';
  EXPECT_FALSE(decode_created(event).ok()) << "one byte more";
}

TEST(RequestEventsTest, AnUnknownVersionCaptureModeMandateFlagOrKindIsRefused) {
  const ledger::AppEvent good = encode_created(Id128{9, 9}, full_terms());
  ledger::AppEvent event = good;
  event.payload[0] = static_cast<char>(event.payload[0] + 1);  // the version byte
  EXPECT_FALSE(decode_created(event).ok()) << "version";
  event = good;
  event.status = 2;  // neither automatic nor manual
  EXPECT_FALSE(decode_created(event).ok()) << "capture";
  event = good;
  event.payload[1 + 16] = 2;  // the mandate flag, after the version and the payer id
  EXPECT_FALSE(decode_created(event).ok()) << "mandate flag";
  event = good;
  event.kind = event_kinds::payment_status;
  EXPECT_FALSE(decode_created(event).ok()) << "kind";
  // A string length running past the end.
  event = good;
  event.payload[1 + 16 + 1 + 16 + 3] = '\x7F';  // the top byte of the first length
  EXPECT_FALSE(decode_created(event).ok()) << "length";
}

// The start-up check: the worst case it computes bounds a real payload with every text at its
// limit, the defaults fit the journal's per-event cap, and limits that would not are refused.
TEST(RequestEventsTest, TermsAtEveryLimitFitTheBoundAndTooGenerousLimitsAreRefused) {
  RequestOptions options;
  RequestTerms terms = full_terms();
  terms.merchant_reference = std::string(options.reference_chars_max, 'r');
  terms.payer_phone_masked = mask_phone("+" + std::string(15, '9'));
  terms.description.clear();
  for (uint32_t i = 0; i < options.description_chars_max; ++i)
    terms.description += "\xF0\x9F\x98\x80";
  terms.metadata_json = "{\"k\":\"" + std::string(options.metadata_bytes_max - 8, 'v') + "\"}";
  ASSERT_EQ(terms.metadata_json.size(), options.metadata_bytes_max);
  ledger::AppEvent event = encode_created(Id128{9, 11}, terms);
  EXPECT_LE(event.payload.size(), created_payload_bytes_max(options));
  EXPECT_GE(event.payload.size() + 32, created_payload_bytes_max(options)) << "the bound is close";
  EXPECT_TRUE(check_terms_fit_the_journal(options).ok());

  RequestOptions long_descriptions;
  long_descriptions.description_chars_max = 4000;
  Status refused = check_terms_fit_the_journal(long_descriptions);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config_invalid");
  RequestOptions large_metadata;
  large_metadata.metadata_bytes_max = 16 * 1024;
  EXPECT_FALSE(check_terms_fit_the_journal(large_metadata).ok());
}

}  // namespace
}  // namespace mpay::requests
