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

namespace {

constexpr size_t kMetadataKeysMax = 20;
constexpr uint32_t kLimitMax = 200;

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

template <typename T>
void check(const mpay::Result<T>& result) {
  if (result.ok()) return;
  MPAY_CHECK(!result.error().code.empty(), "an error without a code");
  MPAY_CHECK(printable_ascii(result.error().message), "an error message that is not printable ASCII");
}

std::vector<std::pair<std::string, std::string>> query_of(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> query;
  while (!text.empty() && query.size() < 16) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    size_t equals = line.find('=');
    query.emplace_back(std::string(line.substr(0, equals)),
                       equals == std::string_view::npos ? "" : std::string(line.substr(equals + 1)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace mpay::api;
  switch (data[0] % 7) {
    case 0: {
      auto request = decode_new_payment_request(body, kMetadataKeysMax);
      check(request);
      if (request.ok()) {
        nlohmann::json metadata = nlohmann::json::parse(request->metadata_json, nullptr, false);
        MPAY_CHECK(metadata.is_object() && metadata.size() <= kMetadataKeysMax, "metadata out of bounds");
        for (const auto& item : metadata) MPAY_CHECK(item.is_string(), "a metadata value that is not a string");
      }
      break;
    }
    case 1: check(decode_confirmation(body)); break;
    case 2: check(decode_capture(body)); break;
    case 3: check(decode_refund(body)); break;
    case 4: check(decode_mandate(body)); break;
    case 5: check(decode_carrier(body)); break;
    case 6: {
      auto query = decode_request_list_query(query_of(body), kLimitMax);
      check(query);
      if (query.ok()) MPAY_CHECK(query->limit >= 1 && query->limit <= kLimitMax, "limit out of range");
      break;
    }
  }
  return 0;
}
