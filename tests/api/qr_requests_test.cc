#include "api/qr_requests.h"

#include <gtest/gtest.h>

namespace mpay::api {
namespace {

constexpr size_t kMetadataKeysMax = 20;

TEST(QrRequests, AMerchantCodeDecodesWithItsAlternateLanguage) {
  auto code = decode_new_merchant_code(
      R"({"type":"dynamic","amount":"25.00","currency":"CNY","terminal_label":"T2",)"
      R"("alternate_language":{"language":"ZH","name":"面馆"},"metadata":{"table":"7"}})",
      kMetadataKeysMax);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(code->kind, "dynamic");
  EXPECT_EQ(code->amount, "25.00");
  EXPECT_EQ(code->alternate_name, "面馆");
  EXPECT_EQ(code->alternate_city, "");
  EXPECT_EQ(code->metadata_json, R"({"table":"7"})");
}

TEST(QrRequests, EveryMistakeNamesItsField) {
  struct Case {
    Result<bool> (*decode)(std::string_view);
    const char* body;
    const char* code;
    const char* field;
  };
  static auto code_of = [](std::string_view body) -> Result<bool> {
    auto decoded = decode_new_merchant_code(body, kMetadataKeysMax);
    if (!decoded.ok()) return decoded.error();
    return true;
  };
  static auto scan_of = [](std::string_view body) -> Result<bool> {
    auto decoded = decode_scan(body);
    if (!decoded.ok()) return decoded.error();
    return true;
  };
  static auto charge_of = [](std::string_view body) -> Result<bool> {
    auto decoded = decode_payment_code_charge(body, kMetadataKeysMax);
    if (!decoded.ok()) return decoded.error();
    return true;
  };
  for (const Case& c : std::initializer_list<Case>{
           {code_of, R"({"amount":"1.00"})", "json_missing_field", "type"},
           {code_of, R"({"type":"static","expires_in_s":"60"})", "json_wrong_type", "expires_in_s"},
           {code_of, R"({"type":"static","alternate_language":{"language":"ZH"}})",
            "json_missing_field", "alternate_language.name"},
           {code_of, R"({"type":"static","alternate_language":{"language":"ZH","name":"x","x":1}})",
            "json_unknown_field", "alternate_language.x"},
           {code_of, R"({"type":"static","metadata":{"a":1}})", "json_wrong_type", "metadata.a"},
           {code_of, R"({"type":"static","metadata":{"k":"a\u0000b"}})", "metadata_value_invalid",
            "metadata.k"},
           {charge_of,
            R"({"code":"1","amount":"1","currency":"CNY","merchant_reference":"r",)"
            R"("metadata":{"k":"\u0007"}})",
            "metadata_value_invalid", "metadata.k"},
           {scan_of, R"({})", "json_missing_field", "payload"},
           {scan_of, R"({"payload":"x","tip":"1"})", "json_unknown_field", "tip"},
           {charge_of, R"({"code":"1","amount":"1","currency":"CNY"})", "json_missing_field",
            "merchant_reference"},
           {charge_of, R"({"code":881,"amount":"1","currency":"CNY","merchant_reference":"r"})",
            "json_wrong_type", "code"},
       }) {
    Result<bool> decoded = c.decode(c.body);
    ASSERT_FALSE(decoded.ok()) << c.body;
    EXPECT_EQ(decoded.error().code, c.code) << c.body;
    EXPECT_EQ(decoded.error().field, c.field) << c.body;
  }
  EXPECT_EQ(decode_scan("not json").error().code, "json_invalid");
  EXPECT_EQ(decode_device_provision(R"({"label":"phone"})").error().field, "pin");
  EXPECT_EQ(decode_payment_code_limit(R"({"amount":100})").error().code, "json_wrong_type");
}

TEST(QrRequests, ImageAndListQueriesAreChecked) {
  auto image = decode_image_query({{"ec", "H"}, {"module_px", "4"}, {"margin", "0"}, {"caption", "false"},
                                   {"form", "url"}});
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->error_correction, 'H');
  EXPECT_EQ(image->module_px, 4);
  EXPECT_EQ(image->margin_modules, 0);
  EXPECT_FALSE(image->caption);
  EXPECT_TRUE(image->url_form);
  EXPECT_EQ(decode_image_query({{"ec", "X"}}).error().field, "ec");
  EXPECT_EQ(decode_image_query({{"module_px", "33"}}).error().field, "module_px");
  EXPECT_EQ(decode_image_query({{"module_px", "4px"}}).error().field, "module_px");
  EXPECT_EQ(decode_image_query({{"margin", "-1"}}).error().field, "margin");
  EXPECT_EQ(decode_image_query({{"form", "pdf"}}).error().field, "form");
  EXPECT_EQ(decode_image_query({{"size", "1"}}).error().code, "query_parameter_unknown");
  EXPECT_EQ(decode_code_list_query({{"limit", "0"}}, 200).error().code, "limit_invalid");
  EXPECT_EQ(decode_code_list_query({{"after", "nope"}}, 200).error().code, "cursor_invalid");
  EXPECT_EQ(decode_code_list_query({{"limit", "200"}}, 200)->limit, 200u);
}

}  // namespace
}  // namespace mpay::api
