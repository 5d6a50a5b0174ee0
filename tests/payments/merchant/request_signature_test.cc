// The signature scheme against a fixed vector: the same numbers docs/merchant-api.md shows and
// a reader can recompute with openssl (the doc gives the commands).
#include "payments/merchant/request_signature.h"

#include <gtest/gtest.h>

namespace mpay::merchant {
namespace {

constexpr std::string_view kSecret = "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::string_view kBody =
    R"({"payer_phone":"+8613900000001","amount":"12.50","currency":"CNY","merchant_reference":"order-42"})";
constexpr std::string_view kTarget = "/v1/payment-requests?source=example";

TEST(RequestSignature, TheBodyHashIsLowerCaseHexSha256) {
  EXPECT_EQ(sha256_hex(kBody), "e5d4ff8ee3e541f7d06d09f4816106103bdab3638f3566fb263246175a066f75");
  // The empty body (GET) has the well-known digest of nothing.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RequestSignature, TheCanonicalStringIsFiveLinesWithoutATrailingNewline) {
  EXPECT_EQ(canonical_request("POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "POST\n/v1/payment-requests?source=example\n1767225600\nn0nce_2026-01-01\n"
            "e5d4ff8ee3e541f7d06d09f4816106103bdab3638f3566fb263246175a066f75");
}

TEST(RequestSignature, TheWorkedExampleOfTheDocument) {
  EXPECT_EQ(sign_request(kSecret, "POST", kTarget, "1767225600", "n0nce_2026-01-01", kBody),
            "fdb68035151b64d72aed3f9fb8f1731238cd6c6aeee256354326a4df76932832");
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
