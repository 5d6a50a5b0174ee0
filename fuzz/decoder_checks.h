// What every fuzz target of the API's decoders checks of a result, and how they read a query
// string from fuzz input: shared so that the targets say only what is their own.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/check.h"
#include "core/error.h"

namespace mpay::fuzz {

inline bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// An error carries a code and a printable-ASCII message (never an echo of client bytes).
template <typename T>
void check_error_shape(const Result<T>& result) {
  if (result.ok()) return;
  MPAY_CHECK(!result.error().code.empty(), "an error without a code");
  MPAY_CHECK(printable_ascii(result.error().message),
             "an error message that is not printable ASCII");
}

// "name=value" lines as query parameters (at most 16).
inline std::vector<std::pair<std::string, std::string>> query_of(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> query;
  while (!text.empty() && query.size() < 16) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    size_t equals = line.find('=');
    query.emplace_back(
        std::string(line.substr(0, equals)),
        equals == std::string_view::npos ? "" : std::string(line.substr(equals + 1)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return query;
}

}  // namespace mpay::fuzz
