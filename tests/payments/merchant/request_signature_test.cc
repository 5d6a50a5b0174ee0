// The signature scheme against a fixed vector: the same numbers docs/merchant-api.md shows and
// a reader can recompute with openssl (the doc gives the commands).
#include "payments/merchant/request_signature.h"

#include <gtest/gtest.h>

namespace mpay::merchant {
namespace {

constexpr std::string_view kSecret = "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::string_view kBody = R"({"amount":"12.50","currency":"CNY","phone":"+8613900000001"})";
constexpr std::string_view kTarget = "/v1/payment-requests?source=example";

TEST(RequestSignature, TheBodyHashIsLowerCaseHexSha256) {
  EXPECT_EQ(sha256_hex(kBody), "d74e849e53fb14fe3451af027cc84c2fe2fbea0a8bf5d358842c1bc2bbd262bb");
  // The empty body (GET) has the well-known digest of nothing.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RequestSignature, TheCanonicalStringIsFiveLinesWithoutATrailingNewline) {
  EXPECT_EQ(canonical_request("POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "POST\n/v1/payment-requests?source=example\n1767225600\nn0nce_2026-01-01\n"
            "d74e849e53fb14fe3451af027cc84c2fe2fbea0a8bf5d358842c1bc2bbd262bb");
}

TEST(RequestSignature, TheWorkedExampleOfTheDocument) {
  EXPECT_EQ(sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "b734e89162bbbaa93862dbaba6822b8b4d69758c1dd8e4e157f7183535ff0998");
}

TEST(RequestSignature, EveryPartIsCovered) {
  std::string base = sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody);
  EXPECT_NE(base, sign_request(kSecret, "PUT", kTarget, "1767225600", "n0nce_2026-01-01", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", "/v1/payment-requests?source=other", "1767225600", "n0nce_2026-01-01", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", kTarget, "1767225601", "n0nce_2026-01-01", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-02", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", std::string(kBody) + " "));
  EXPECT_NE(base, sign_request("msk_other", "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody));
}

TEST(RequestSignature, ConstantTimeComparison) {
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "abcd"));
  EXPECT_TRUE(equal_constant_time("", ""));
}

}  // namespace
}  // namespace mpay::merchant
