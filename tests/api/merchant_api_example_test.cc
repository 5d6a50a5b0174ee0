// The worked example of docs/merchant-api.md, read from the page itself: its body is one that
// POST /v1/payment-requests decodes, and the hash and signature it prints are the ones the server
// computes, so a reader who copies the example sends a request the route accepts.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "api/payment_request_requests.h"
#include "payments/merchant/request_signature.h"

namespace mpay::api {
namespace {

std::string merchant_api_page() {
  std::string path = MPAY_OPENAPI_YAML;  // docs/openapi.yaml; the page is beside it
  path.replace(path.rfind("openapi.yaml"), std::string("openapi.yaml").size(), "merchant-api.md");
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first indented line of the section that is a JSON object: the example's body.
std::string example_body(const std::string& page) {
  size_t section = page.find("### Worked example");
  if (section == std::string::npos) return "";
  size_t start = page.find("\n    {", section);
  if (start == std::string::npos) return "";
  start += 5;
  return page.substr(start, page.find('\n', start) - start);
}

TEST(MerchantApiExample, TheBodyIsOneTheCreateRouteDecodes) {
  std::string body = example_body(merchant_api_page());
  ASSERT_FALSE(body.empty());
  Result<requests::NewRequest> decoded = decode_new_payment_request(body, 20);
  ASSERT_TRUE(decoded.ok()) << decoded.error().code << " " << decoded.error().field;
  EXPECT_EQ(decoded->payer_phone, "+8613900000001");
  EXPECT_EQ(decoded->amount, "12.50");
  EXPECT_FALSE(decoded->merchant_reference.empty());
}

TEST(MerchantApiExample, ThePrintedHashAndSignatureAreTheServers) {
  std::string page = merchant_api_page();
  std::string body = example_body(page);
  ASSERT_FALSE(body.empty());
  EXPECT_NE(page.find("this body (" + std::to_string(body.size()) + " bytes"), std::string::npos);
  EXPECT_NE(page.find("SHA2-256(stdin)= " + merchant::sha256_hex(body)), std::string::npos);
  std::string signature = merchant::sign_request(
      "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "POST",
      "/v1/payment-requests", "1767225600", "n0nce_2026-01-01", body);
  EXPECT_NE(page.find("X-Mpay-Signature: " + signature), std::string::npos) << signature;
}

}  // namespace
}  // namespace mpay::api
