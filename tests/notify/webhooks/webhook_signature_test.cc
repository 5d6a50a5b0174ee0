#include "notify/webhooks/webhook_signature.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/webhooks/webhook_envelope.h"

namespace mpay::notify::webhooks {
namespace {

// The worked example of docs/webhooks.md; recompute it with
//   printf '%s' "1764072000.$BODY" | openssl dgst -sha256 -hmac whsec_test_5a1b -hex
constexpr std::string_view kSecret = "whsec_test_5a1b";
constexpr int64_t kUnixSeconds = 1764072000;  // 2025-11-25T12:00:00Z
constexpr std::string_view kBody =
    R"({"id":"evt_0001","type":"payment_request.succeeded","created_at":"2025-11-25T12:00:00.000Z",)"
    R"("data":{"amount_minor":1250,"currency":"KES","payment_request_id":"pr_123"}})";
constexpr std::string_view kSignature = "5e7c18c6362fce6a76ddefa1b436c30deffe6fc0ecf3b93f478a4981e8226783";

TEST(WebhookSignature, MatchesTheDocumentedExample) {
  EXPECT_EQ(signature_hex(kSecret, kUnixSeconds, kBody), kSignature);
  EXPECT_EQ(signature_header_value(kSecret, kUnixSeconds, kBody), "t=1764072000,v1=" + std::string(kSignature));
}

TEST(WebhookSignature, TheDocumentedBodyIsTheEnvelopeOfItsEvent) {
  // The payload as mpay's producers serialize it: compact, keys sorted (nlohmann's dump).
  WebhookEvent event{
      "evt_0001",
      Id128{1, 2},
      "pr_123",
      "payment_request.succeeded",
      nlohmann::json{{"payment_request_id", "pr_123"}, {"currency", "KES"}, {"amount_minor", 1250}}
          .dump(),
      kUnixSeconds * 1'000'000'000};
  Result<std::string> body = envelope_body(event);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, kBody);
}

TEST(WebhookSignature, ChangesWithSecretTimeAndBody) {
  std::string base = signature_hex(kSecret, kUnixSeconds, kBody);
  EXPECT_NE(signature_hex("whsec_other", kUnixSeconds, kBody), base);
  EXPECT_NE(signature_hex(kSecret, kUnixSeconds + 1, kBody), base);
  EXPECT_NE(signature_hex(kSecret, kUnixSeconds, std::string(kBody) + " "), base);
  EXPECT_EQ(base.size(), 64u);
}

}  // namespace
}  // namespace mpay::notify::webhooks
