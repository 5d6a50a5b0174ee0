// Internal to the QR image module: where things go on the canvas, the same for PNG and SVG.
//
// The symbol with its quiet zone is a square of (width + 2 * quiet zone) modules; a caption adds
// a band of two font heights under it (below the quiet zone, so the zone stays white) and
// widens the canvas if the caption is wider than the code, keeping the code centred. Pure; safe
// from any thread. Inputs must already be valid (validate_render_options); a violation is a
// programmer error and fails MPAY_CHECK.
#pragma once

#include <cstdint>
#include <vector>

#include "channels/qr/image/render_options.h"

namespace mpay::qr::internal {

struct CanvasLayout {
  int32_t canvas_width_px = 0;
  int32_t canvas_height_px = 0;
  int32_t symbol_left_px = 0;       // left edge of the quiet zone; the top edge is 0
  int32_t symbol_side_px = 0;       // quiet zone included
  int32_t first_module_left_px = 0; // where module (0, 0) starts
  int32_t first_module_top_px = 0;
  int32_t font_px = 0;              // caption height in pixels (em size)
  int32_t caption_baseline_px = 0;  // 0 when there is no caption
  int32_t caption_centre_px = 0;
};

// The caption's em size for a module size: twice the module, within the caption font limits.
int32_t caption_font_px(int32_t module_size_px);

// caption_width_px: 0 for no caption, else the drawn (PNG) or estimated (SVG) width.
CanvasLayout lay_out_canvas(int32_t width_modules, const RenderOptions& options, bool with_caption,
                            int32_t caption_width_px);

// A viewer's likely width of the text, for SVG where no font is at hand: a full em for East Asian
// wide characters, 0.6 em for the rest.
int32_t estimate_caption_width_px(const std::vector<char32_t>& code_points, int32_t font_px);

}  // namespace mpay::qr::internal
