#include "channels/qr/image/canvas_layout_internal.h"

#include <algorithm>

#include "channels/qr/image/image_limits.h"
#include "core/check.h"

namespace mpay::qr::internal {
namespace {

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || c >= 0x20000;
}

}  // namespace

int32_t caption_font_px(int32_t module_size_px) {
  return std::clamp(module_size_px * 2, caption_font_px_min, caption_font_px_max);
}

CanvasLayout lay_out_canvas(int32_t width_modules, const RenderOptions& options, bool with_caption,
                            int32_t caption_width_px) {
  MPAY_CHECK(width_modules > 0 && width_modules <= symbol_modules_max, "symbol width out of range");
  MPAY_CHECK(caption_width_px >= 0 && caption_width_px <= canvas_side_px_max, "caption width out of range");
  CanvasLayout layout;
  layout.symbol_side_px = (width_modules + 2 * options.quiet_zone_modules) * options.module_size_px;
  layout.canvas_width_px = layout.symbol_side_px;
  layout.canvas_height_px = layout.symbol_side_px;
  if (with_caption) {
    layout.font_px = caption_font_px(options.module_size_px);
    layout.canvas_width_px = std::max(layout.symbol_side_px, caption_width_px + 2 * layout.font_px);
    layout.canvas_height_px = layout.symbol_side_px + 2 * layout.font_px;
    layout.caption_baseline_px = layout.symbol_side_px + layout.font_px * 13 / 10;
    layout.caption_centre_px = layout.canvas_width_px / 2;
  }
  layout.symbol_left_px = (layout.canvas_width_px - layout.symbol_side_px) / 2;
  layout.first_module_left_px = layout.symbol_left_px + options.quiet_zone_modules * options.module_size_px;
  layout.first_module_top_px = options.quiet_zone_modules * options.module_size_px;
  MPAY_CHECK(layout.canvas_width_px <= canvas_side_px_max && layout.canvas_height_px <= canvas_side_px_max,
             "canvas over its limit");
  return layout;
}

int32_t estimate_caption_width_px(const std::vector<char32_t>& code_points, int32_t font_px) {
  int64_t tenths = 0;
  for (char32_t c : code_points) tenths += is_wide(c) ? 10 : 6;
  return static_cast<int32_t>(std::min<int64_t>(tenths * font_px / 10, canvas_side_px_max / 2));
}

}  // namespace mpay::qr::internal
