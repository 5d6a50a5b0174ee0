// Internal to src/channels/qr/emv: UTF-8 checks and character counting for the codec.
//
// What: EMV lengths count characters (code points), while the CRC runs over bytes; these helpers
// translate between the two. Threads: pure, thread-safe. Failure: is_valid_utf8 says false for
// overlong forms, surrogates, code points above U+10FFFF and truncated sequences; the others
// assume valid UTF-8 (callers check first).
#pragma once

#include <cstddef>
#include <string_view>

namespace mpay::qr::internal {

bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8 text.
size_t count_characters(std::string_view text);

// Bytes taken by the first `characters` code points of valid UTF-8 text, or npos if it has fewer.
size_t bytes_of_characters(std::string_view text, size_t characters);

}  // namespace mpay::qr::internal
