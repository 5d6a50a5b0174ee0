#include <cstdint>
#include <string_view>

#include "channels/qr/emv/utf8_text_internal.h"

namespace mpay::qr::internal {
namespace {

// Length of the sequence a lead byte starts, or 0 if it cannot start one.
size_t sequence_length(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool is_continuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) {
  size_t index = 0;
  while (index < text.size()) {
    uint8_t lead = static_cast<uint8_t>(text[index]);
    size_t length = sequence_length(lead);
    if (length == 0 || index + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if (!is_continuation(static_cast<uint8_t>(text[index + k]))) return false;
    }
    if (length >= 3) {
      uint8_t second = static_cast<uint8_t>(text[index + 1]);
      if (lead == 0xE0 && second < 0xA0) return false;  // overlong
      if (lead == 0xED && second > 0x9F) return false;  // surrogates
      if (lead == 0xF0 && second < 0x90) return false;  // overlong
      if (lead == 0xF4 && second > 0x8F) return false;  // above U+10FFFF
    }
    index += length;
  }
  return true;
}

size_t count_characters(std::string_view text) {
  size_t characters = 0;
  for (char byte : text) {
    if (!is_continuation(static_cast<uint8_t>(byte))) ++characters;
  }
  return characters;
}

size_t bytes_of_characters(std::string_view text, size_t characters) {
  size_t index = 0;
  for (size_t seen = 0; seen < characters; ++seen) {
    if (index >= text.size()) return std::string_view::npos;
    size_t length = sequence_length(static_cast<uint8_t>(text[index]));
    index += length == 0 ? 1 : length;
  }
  return index > text.size() ? std::string_view::npos : index;
}

}  // namespace mpay::qr::internal
