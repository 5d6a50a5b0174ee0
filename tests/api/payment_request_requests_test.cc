// The payment-request decoders' rules for text people read: metadata keys and values hold no C0
// control character (NUL, line breaks, BEL, ...) and no DEL, each refusal naming its field.
#include "api/payment_request_requests.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay::api {
namespace {

constexpr size_t kMetadataKeysMax = 20;

Result<std::string> metadata_of(std::string_view metadata_json) {
  std::string body = R"({"payer_phone":"+8613900000001","amount":"1.00","currency":"CNY",)"
                     R"("merchant_reference":"r-1","metadata":)" +
                     std::string(metadata_json) + "}";
  Result<requests::NewRequest> decoded = decode_new_payment_request(body, kMetadataKeysMax);
  if (!decoded.ok()) return decoded.error();
  return decoded->metadata_json;
}

TEST(PaymentRequestRequests, MetadataOfPrintableTextIsKept) {
  Result<std::string> metadata = metadata_of(R"({"table":"7","note":"面馆 – window seat"})");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(*metadata, R"({"note":"面馆 – window seat","table":"7"})");
}

TEST(PaymentRequestRequests, MetadataValuesWithControlCharactersAreRefused) {
  for (std::string_view value : {R"("a\u0000b")", R"("line\nbreak")", R"("\r")", R"("tab\there")",
                                 R"("bell\u0007")", R"("\u001b[31m")", R"("del\u007f")"}) {
    Result<std::string> metadata = metadata_of(R"({"k":)" + std::string(value) + "}");
    ASSERT_FALSE(metadata.ok()) << value;
    EXPECT_EQ(metadata.error().code, "metadata_value_invalid") << value;
    EXPECT_EQ(metadata.error().field, "metadata.k") << value;
  }
}

TEST(PaymentRequestRequests, MetadataKeysWithControlCharactersAreRefused) {
  for (std::string_view key : {R"("a\u0000b")", R"("k\n")", R"("\u007f")"}) {
    Result<std::string> metadata = metadata_of("{" + std::string(key) + R"(:"v"})");
    ASSERT_FALSE(metadata.ok()) << key;
    EXPECT_EQ(metadata.error().code, "metadata_key_invalid") << key;
    EXPECT_TRUE(metadata.error().field.starts_with("metadata.")) << key;
  }
}

TEST(PaymentRequestRequests, MetadataRefusesBidiControlsInKeysAndValues) {
  Result<std::string> key = metadata_of(R"({"order\u202E":"v"})");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, "metadata_key_invalid");
  Result<std::string> value = metadata_of(R"({"order":"12\u202E34"})");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, "metadata_value_invalid");
  EXPECT_EQ(value.error().field, "metadata.order");
}

}  // namespace
}  // namespace mpay::api
