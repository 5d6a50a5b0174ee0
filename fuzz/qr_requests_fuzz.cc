// Fuzz target: the QR API's decoding (api/qr_requests.h). The first input byte picks the decoder,
// the rest is the body (for the queries: "name=value" lines).
//
// Properties:
// - an error carries a code and a printable-ASCII message;
// - a decoded value keeps its documented bounds: metadata a JSON object of at most the given
//   number of string values, a list limit within 1..limit_max, image options within their ranges;
// - decoding never crashes, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/qr_requests.h"
#include "decoder_checks.h"

namespace {

constexpr size_t kMetadataKeysMax = 20;
constexpr uint32_t kLimitMax = 200;

void check_metadata(const std::string& metadata_json) {
  nlohmann::json metadata = nlohmann::json::parse(metadata_json, nullptr, false);
  MPAY_CHECK(metadata.is_object() && metadata.size() <= kMetadataKeysMax, "metadata out of bounds");
  for (const auto& item : metadata)
    MPAY_CHECK(item.is_string(), "a metadata value that is not a string");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace mpay::api;
  using mpay::fuzz::check_error_shape;
  switch (data[0] % 8) {
    case 0: {
      auto code = decode_new_merchant_code(body, kMetadataKeysMax);
      check_error_shape(code);
      if (code.ok()) check_metadata(code->metadata_json);
      break;
    }
    case 1:
      check_error_shape(decode_scan(body));
      break;
    case 2: {
      auto charge = decode_payment_code_charge(body, kMetadataKeysMax);
      check_error_shape(charge);
      if (charge.ok()) check_metadata(charge->metadata_json);
      break;
    }
    case 3:
      check_error_shape(decode_device_provision(body));
      break;
    case 4:
      check_error_shape(decode_pin(body));
      break;
    case 5:
      check_error_shape(decode_payment_code_limit(body));
      break;
    case 6: {
      auto query = decode_code_list_query(mpay::fuzz::query_of(body), kLimitMax);
      check_error_shape(query);
      if (query.ok())
        MPAY_CHECK(query->limit >= 1 && query->limit <= kLimitMax, "limit out of range");
      break;
    }
    case 7: {
      auto image = decode_image_query(mpay::fuzz::query_of(body));
      check_error_shape(image);
      if (image.ok()) {
        MPAY_CHECK(image->module_px >= 1 && image->module_px <= 32, "module size out of range");
        MPAY_CHECK(image->margin_modules >= 0 && image->margin_modules <= 16,
                   "margin out of range");
      }
      break;
    }
  }
  return 0;
}
