// Timestamps as text for APIs: RFC 3339 in UTC with milliseconds, "2026-11-25T13:12:45.123Z".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay {

// Nanoseconds since the Unix epoch -> "YYYY-MM-DDTHH:MM:SS.mmmZ" (truncated to milliseconds).
std::string format_rfc3339_ms(int64_t unix_ns);

// Accepts "YYYY-MM-DDTHH:MM:SSZ" with an optional fraction of 1 to 9 digits before the Z, years
// 1970..2261, or "+HH:MM"/"-HH:MM" instead of Z. Error: timestamp_invalid.
Result<int64_t> parse_rfc3339(std::string_view text);

}  // namespace mpay
