#include "api/http_request_id.h"

#include <algorithm>
#include <array>

#include "api/http_limits.h"

namespace mpay::api {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > kRequestIdCharsMax) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string generate_request_id(mpay::RandomSource& random) {
  std::array<unsigned char, kRequestIdRandomBytes> bytes{};
  random.fill(bytes.data(), bytes.size());
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string id;
  id.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    id.push_back(kHexDigits[byte >> 4]);
    id.push_back(kHexDigits[byte & 0x0f]);
  }
  return id;
}

}  // namespace mpay::api
