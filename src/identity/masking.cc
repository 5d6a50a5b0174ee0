#include "identity/masking.h"

#include <algorithm>
#include <iterator>

namespace mpay::identity {

namespace {

constexpr size_t kDocumentPrefixShownMax = 3;
constexpr size_t kDocumentSuffixShownMax = 4;

struct CodePoint {
  char32_t value = 0;
  size_t length = 1;   // bytes consumed: 1 for an invalid byte
  bool valid = false;
};

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. An invalid
// sequence consumes one byte, so every byte of the input is accounted for exactly once.
CodePoint decode(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[at + i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};
  size_t length = 0;
  char32_t value = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return {};
  }
  if (text.size() - at < length) return {};
  if (byte(1) < second_min || byte(1) > second_max) return {};
  for (size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(i))) return {};
    value = (value << 6) | (byte(i) & 0x3F);
  }
  return {value, length, true};
}

bool is_separator(const CodePoint& point) {
  if (!point.valid) return false;
  switch (point.value) {
    case U' ':
    case U'-':
    case U'\u00B7':  // MIDDLE DOT, in transcribed names: 迪丽热巴·迪力木拉提
    case U'\u30FB':  // KATAKANA MIDDLE DOT, the same use
    case U'\u3000':  // IDEOGRAPHIC SPACE
      return true;
    default:
      return false;
  }
}

struct CodePointRange {
  char32_t first;
  char32_t last;
};

// Code points never shown: controls, line breaks, and every invisible character that could disguise
// the text around it. Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt)
// names the invisible ones; fillers and variation selectors are among them, so a hand-picked list
// of "zero-width" characters would miss some.
constexpr CodePointRange kHiddenCodePoints[] = {
    {0x0000, 0x001F},    // C0 controls
    {0x007F, 0x009F},    // DEL, C1 controls
    {0x00AD, 0x00AD},    // soft hyphen
    {0x034F, 0x034F},    // combining grapheme joiner
    {0x061C, 0x061C},    // Arabic letter mark
    {0x115F, 0x1160},    // Hangul fillers
    {0x17B4, 0x17B5},    // Khmer inherent vowels
    {0x180B, 0x180F},    // Mongolian variation selectors and vowel separator
    {0x200B, 0x200F},    // zero-width characters, left-to-right and right-to-left marks
    {0x2028, 0x202E},    // line and paragraph separators, bidirectional embeddings and overrides
    {0x2060, 0x206F},    // word joiner, invisible operators, bidirectional isolates
    {0x3164, 0x3164},    // Hangul filler
    {0xFE00, 0xFE0F},    // variation selectors
    {0xFEFF, 0xFEFF},    // byte order mark
    {0xFFA0, 0xFFA0},    // half-width Hangul filler
    {0xFFF0, 0xFFFF},    // specials
    {0x1BCA0, 0x1BCA3},  // shorthand format controls
    {0x1D173, 0x1D17A},  // musical symbol format controls
    {0xE0000, 0xE0FFF},  // tags, variation selectors supplement
};

// Whether a code point may be shown in a log line or a response.
bool is_showable(const CodePoint& point) {
  if (!point.valid) return false;
  return std::none_of(std::begin(kHiddenCodePoints), std::end(kHiddenCodePoints),
                      [&](const CodePointRange& range) {
                        return point.value >= range.first && point.value <= range.last;
                      });
}

}  // namespace

std::string mask_name(std::string_view utf8_name) {
  size_t letters = 0;  // code points that are not separators
  for (size_t at = 0; at < utf8_name.size();) {
    CodePoint point = decode(utf8_name, at);
    letters += is_separator(point) ? 0 : 1;
    at += point.length;
  }
  std::string masked;
  masked.reserve(utf8_name.size());
  bool word_start = true;
  for (size_t at = 0; at < utf8_name.size();) {
    CodePoint point = decode(utf8_name, at);
    if (is_separator(point)) {
      masked.append(utf8_name.substr(at, point.length));
      word_start = true;
    } else {
      bool show = word_start && letters > 1 && is_showable(point);
      if (show) {
        masked.append(utf8_name.substr(at, point.length));
      } else {
        masked.push_back('*');
      }
      word_start = false;
    }
    at += point.length;
  }
  return masked;
}

std::string mask_document(const ValidatedDocument& document) {
  const std::string& number = document.number;
  size_t length = number.size();
  size_t shown_max = length / 2;  // so that ceil(length / 2) stay masked
  size_t suffix = std::min(kDocumentSuffixShownMax, (shown_max + 1) / 2);
  size_t prefix = std::min(kDocumentPrefixShownMax, shown_max - suffix);
  std::string masked(length, '*');
  auto show = [&](size_t i) {
    char c = number[i];
    bool alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (alphanumeric) masked[i] = c;
  };
  for (size_t i = 0; i < prefix; ++i) show(i);
  for (size_t i = length - suffix; i < length; ++i) show(i);
  return masked;
}

}  // namespace mpay::identity
