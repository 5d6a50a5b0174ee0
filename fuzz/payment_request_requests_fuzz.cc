// Fuzz target: the payment-request API's decoding (api/payment_request_requests.h). The first
// input byte picks the decoder, the rest is the body (for the list query: "name=value" lines).
//
// Properties:
// - an error carries a code and a printable-ASCII message (never an echo of client bytes);
// - a decoded request keeps its documented bounds: metadata is a JSON object of at most the given
//   number of string values, a list limit within 1..limit_max;
// - decoding never crashes, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/payment_request_requests.h"
#include "core/check.h"
#include "decoder_checks.h"

namespace {

constexpr size_t kMetadataKeysMax = 20;
constexpr uint32_t kLimitMax = 200;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace mpay::api;
  switch (data[0] % 7) {
    case 0: {
      auto request = decode_new_payment_request(body, kMetadataKeysMax);
      mpay::fuzz::check_error_shape(request);
      if (request.ok()) {
        nlohmann::json metadata = nlohmann::json::parse(request->metadata_json, nullptr, false);
        MPAY_CHECK(metadata.is_object() && metadata.size() <= kMetadataKeysMax, "metadata out of bounds");
        for (const auto& item : metadata) MPAY_CHECK(item.is_string(), "a metadata value that is not a string");
      }
      break;
    }
    case 1: mpay::fuzz::check_error_shape(decode_confirmation(body)); break;
    case 2: mpay::fuzz::check_error_shape(decode_capture(body)); break;
    case 3: mpay::fuzz::check_error_shape(decode_refund(body)); break;
    case 4: mpay::fuzz::check_error_shape(decode_mandate(body)); break;
    case 5: mpay::fuzz::check_error_shape(decode_carrier(body)); break;
    case 6: {
      auto query = decode_request_list_query(mpay::fuzz::query_of(body), kLimitMax);
      mpay::fuzz::check_error_shape(query);
      if (query.ok()) MPAY_CHECK(query->limit >= 1 && query->limit <= kLimitMax, "limit out of range");
      break;
    }
  }
  return 0;
}
