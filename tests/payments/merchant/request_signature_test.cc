// The signature scheme against a fixed vector: the same numbers docs/merchant-api.md shows and
// a reader can recompute with openssl (the doc gives the commands).
#include "payments/merchant/request_signature.h"

#include <gtest/gtest.h>

namespace mpay::merchant {
namespace {

constexpr std::string_view kSecret = "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::string_view kBody =
    R"({"payer_phone":"+8613900000001","amount":"12.50","currency":"CNY","merchant_reference":"order-42"})";
constexpr std::string_view kTarget = "/v1/payment-requests";

TEST(RequestSignature, TheBodyHashIsLowerCaseHexSha256) {
  EXPECT_EQ(sha256_hex(kBody), "e5d4ff8ee3e541f7d06d09f4816106103bdab3638f3566fb263246175a066f75");
  // The empty body (GET) has the well-known digest of nothing.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RequestSignature, TheCanonicalStringIsFiveLinesWithoutATrailingNewline) {
  EXPECT_EQ(canonical_request("POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "POST\n/v1/payment-requests\n1767225600\nn0nce_2026-01-01\n"
            "e5d4ff8ee3e541f7d06d09f4816106103bdab3638f3566fb263246175a066f75");
}

TEST(RequestSignature, TheWorkedExampleOfTheDocument) {
  EXPECT_EQ(sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "ad8480ef1931e20ac04016c18637ad85f2a465112b896a662283a95221875b21");
}

TEST(RequestSignature, EveryPartIsCovered) {
  std::string base = sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody);
  EXPECT_NE(base, sign_request(kSecret, "PUT", kTarget, "1767225600", "n0nce_2026-01-01", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", "/v1/payment-requests?source=other", "1767225600", "n0nce_2026-01-01", kBody));
  EXPECT_NE(base, sign_request(kSecret, "POST", "/v1/payment-requests/", "1767225600",
                               "n0nce_2026-01-01", kBody));
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
