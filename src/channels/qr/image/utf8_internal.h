// Internal to the QR image module: strict UTF-8 decoding into code points (for the caption).
// Pure; safe from any thread. Invalid UTF-8 (overlong forms, surrogates, values past U+10FFFF,
// truncated sequences) gives nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpay::qr::internal {

std::optional<std::vector<char32_t>> decode_utf8(std::string_view text);

void append_utf8(std::string& out, char32_t code_point);

}  // namespace mpay::qr::internal
