// The HTTP statuses of payment-request error codes, as docs/openapi.yaml lists them, and the
// Retry-After that keeps a momentary refusal out of the Idempotency-Key store.
#include "api/payment_request_json.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "api/idempotency.h"

namespace mpay::api {
namespace {

std::optional<std::string> retry_after_of(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == kRetryAfterHeader) return value;
  }
  return std::nullopt;
}

TEST(PaymentRequestJson, ServiceBusyIsA503NotAnInputError) {
  EXPECT_EQ(payment_request_error_status("service_busy"), 503u);
}

TEST(PaymentRequestJson, OnlyABusyRequestAsksForARetry) {
  HttpResponse busy = payment_request_error_response(
      payment_request_error_status("payment_request_busy"), Error("payment_request_busy", "busy"));
  EXPECT_EQ(busy.status, 409u);
  EXPECT_EQ(retry_after_of(busy), "1");
  HttpResponse final_state = payment_request_error_response(
      payment_request_error_status("payment_request_not_awaiting_confirmation"),
      Error("payment_request_not_awaiting_confirmation", "declined"));
  EXPECT_EQ(final_state.status, 409u);
  EXPECT_EQ(retry_after_of(final_state), std::nullopt);
}

}  // namespace
}  // namespace mpay::api
