#include "core/display_text.h"

#include <cstdint>
#include <optional>

namespace mpay {
namespace {

// The code point that starts at text[*at], advancing *at past it; nullopt for invalid UTF-8
// (a stray or missing continuation byte, an overlong form, a surrogate, beyond U+10FFFF).
std::optional<char32_t> next_code_point(std::string_view text, size_t* at) {
  auto lead = static_cast<uint8_t>(text[*at]);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length == 0 || *at + length > text.size()) return std::nullopt;
  char32_t point = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    auto next = static_cast<uint8_t>(text[*at + k]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    point = (point << 6) | (next & 0x3F);
  }
  constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) {
    return std::nullopt;
  }
  *at += length;
  return point;
}

bool is_hidden_control(char32_t point) {
  if (point < 0x20 || (point >= 0x7F && point < 0xA0)) return true;  // C0, DEL, C1
  if (point == 0x061C || point == 0x200E || point == 0x200F) return true;
  if (point >= 0x202A && point <= 0x202E) return true;  // embeddings and overrides
  if (point >= 0x2066 && point <= 0x2069) return true;  // isolates
  if (point == 0x2028 || point == 0x2029) return true;
  if (point == 0x200B || (point >= 0x2060 && point <= 0x2064) || point == 0xFEFF) return true;
  return point >= 0xFFF9 && point <= 0xFFFB;
}

}  // namespace

bool has_hidden_control(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    std::optional<char32_t> point = next_code_point(text, &at);
    if (!point || is_hidden_control(*point)) return true;
  }
  return false;
}

}  // namespace mpay
