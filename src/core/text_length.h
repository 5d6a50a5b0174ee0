// The length of user-facing text as a person counts it: Unicode code points, not bytes (limits
// such as "a description of at most 140 characters" are in characters, and a Chinese character
// is three bytes of UTF-8). Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace mpay {

// Code points of UTF-8 `text` (bytes that do not start a sequence are not counted). The text is
// assumed to be valid UTF-8 (the JSON layer checks it); invalid bytes never make it longer.
inline size_t utf8_chars(std::string_view text) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars;
}

}  // namespace mpay
