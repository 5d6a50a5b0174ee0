#include "channels/qr/image/caption.h"

#include "channels/qr/image/image_limits.h"
#include "channels/qr/image/utf8_internal.h"

namespace mpay::qr {
namespace {

constexpr char32_t ellipsis = U'\u2026';

bool is_control(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0) || code_point == 0x2028 ||
         code_point == 0x2029 || code_point == 0xFFFE || code_point == 0xFFFF;
}

}  // namespace

Result<Caption> prepare_caption(std::string_view text) {
  if (text.size() > caption_bytes_max) {
    return Error("qr_caption_too_long", "the caption is over " + std::to_string(caption_bytes_max) + " bytes",
                 "caption");
  }
  std::optional<std::vector<char32_t>> decoded = internal::decode_utf8(text);
  if (!decoded) return Error("qr_caption_invalid", "the caption is not valid UTF-8", "caption");
  for (char32_t code_point : *decoded) {
    if (is_control(code_point)) {
      return Error("qr_caption_invalid", "the caption contains a control character", "caption");
    }
  }
  Caption caption;
  caption.code_points = std::move(*decoded);
  if (caption.code_points.size() > caption_characters_max) {
    caption.code_points.resize(caption_characters_max - 1);
    caption.code_points.push_back(ellipsis);
    caption.truncated = true;
  }
  for (char32_t code_point : caption.code_points) internal::append_utf8(caption.text, code_point);
  return caption;
}

}  // namespace mpay::qr
