// Splits an HTTP request target ("/v1/a%20b?x=1&y") into a percent-decoded path and query
// parameters. Pure functions: safe from any thread.
//
// Only origin-form ASCII targets are accepted (they start with "/"). Failures are values with code
// "bad_request": a malformed %XX escape, or a path that decodes to a NUL byte or to a "/" inside a
// segment ("%2F"), because the router splits the decoded path on "/" and must not be confused
// about segment boundaries. In the query, "+" is kept as "+" (not turned into a space) so that
// phone numbers like "+254700000000" arrive intact; a parameter without "=" has an empty value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace mpay::api {

struct HttpTarget {
  std::string raw_path;  // the path as received, still encoded; the only form that is logged
  std::string path;      // percent-decoded
  std::vector<std::pair<std::string, std::string>> query;
};

mpay::Result<HttpTarget> parse_target(std::string_view target);

// Decodes %XX escapes; a truncated or non-hex escape is a bad_request error.
mpay::Result<std::string> percent_decode(std::string_view text);

}  // namespace mpay::api
