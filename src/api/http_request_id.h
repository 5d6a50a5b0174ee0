// X-Request-Id handling: which client-supplied ids are kept, and how new ones are made.
// Pure functions over a thread-safe RandomSource: safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"

namespace mpay::api {

// True for 1..kRequestIdCharsMax characters of [A-Za-z0-9._-]: safe to echo in a header and to
// write into a log line.
bool is_valid_request_id(std::string_view id);

// kRequestIdRandomBytes random bytes as lowercase hex.
std::string generate_request_id(mpay::RandomSource& random);

}  // namespace mpay::api
