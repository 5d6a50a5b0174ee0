#include "channels/qr/image/png_renderer.h"

#include <algorithm>
#include <optional>

#include "channels/qr/image/caption.h"
#include "channels/qr/image/canvas_layout_internal.h"
#include "channels/qr/image/font_coverage_internal.h"
#include "channels/qr/image/gd_image_internal.h"
#include "channels/qr/image/qr_encoder.h"
#include "channels/qr/image/render_input_internal.h"

namespace mpay::qr {
namespace {

// Pixels per inch that make libgd's point size equal to the em size in pixels.
constexpr int points_per_inch = 72;

struct CaptionToDraw {
  std::string gd_text;       // the caption as libgd reads it
  int32_t width_px = 0;      // the drawn width
  int32_t left_offset_px = 0;  // where the ink starts relative to the pen position
};

// libgd turns "&#NNN;" in a string into character NNN; an '&' written as "&#38;" stays an '&'.
std::string text_for_gd(std::string_view caption) {
  std::string out;
  for (char c : caption) {
    if (c == '&') {
      out += "&#38;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

gdFTStringExtra pixel_resolution() {
  gdFTStringExtra extra{};
  extra.flags = gdFTEX_RESOLUTION;
  extra.hdpi = points_per_inch;
  extra.vdpi = points_per_inch;
  return extra;
}

// Draws (image non-null) or only measures (null) the caption; the error text of libgd, or null.
const char* string_ft(gdImagePtr image, int* box, int colour, const std::string& font_path, int32_t font_px,
                      int32_t x, int32_t y, const std::string& text) {
  gdFTStringExtra extra = pixel_resolution();
  return gdImageStringFTEx(image, box, colour, font_path.c_str(), font_px, 0.0, x, y, text.c_str(), &extra);
}

// Decides whether the caption can be drawn, and measures it if so.
std::optional<CaptionToDraw> plan_caption(const Caption& caption, const RenderOptions& options,
                                          CaptionOutcome& outcome) {
  switch (internal::check_font_coverage(options.font_path, caption.code_points)) {
    case internal::FontCoverage::font_unreadable:
      outcome = CaptionOutcome::omitted_font_unreadable;
      return std::nullopt;
    case internal::FontCoverage::glyphs_missing:
      outcome = CaptionOutcome::omitted_glyphs_missing;
      return std::nullopt;
    case internal::FontCoverage::covered:
      break;
  }
  CaptionToDraw plan;
  plan.gd_text = text_for_gd(caption.text);
  int box[8] = {};
  internal::set_up_gd_font_cache_once();
  if (string_ft(nullptr, box, 0, options.font_path, internal::caption_font_px(options.module_size_px), 0, 0,
                plan.gd_text) != nullptr) {
    outcome = CaptionOutcome::omitted_drawing_failed;
    return std::nullopt;
  }
  plan.width_px = std::max(0, box[2] - box[0]);
  plan.left_offset_px = box[0];
  outcome = CaptionOutcome::drawn;
  return plan;
}

void draw_modules(gdImagePtr image, const QrMatrix& matrix, const internal::CanvasLayout& layout,
                  int32_t module_px, int colour) {
  for (int32_t y = 0; y < matrix.width_modules; ++y) {
    int32_t top = layout.first_module_top_px + y * module_px;
    for (int32_t x = 0; x < matrix.width_modules;) {
      if (!matrix.is_dark(x, y)) {
        ++x;
        continue;
      }
      int32_t run_start = x;
      while (x < matrix.width_modules && matrix.is_dark(x, y)) ++x;
      gdImageFilledRectangle(image, layout.first_module_left_px + run_start * module_px, top,
                             layout.first_module_left_px + x * module_px - 1, top + module_px - 1, colour);
    }
  }
}

Result<PngImage> draw(const QrMatrix& matrix, const RenderOptions& options, const CaptionToDraw* caption) {
  internal::CanvasLayout layout =
      internal::lay_out_canvas(matrix.width_modules, options, caption != nullptr, caption ? caption->width_px : 0);
  internal::GdImage image(gdImageCreate(layout.canvas_width_px, layout.canvas_height_px));
  if (!image) return Error("qr_render_failed", "libgd could not allocate the image");
  gdImageColorAllocate(image.get(), 255, 255, 255);  // the first colour is the background
  int black = gdImageColorAllocate(image.get(), 0, 0, 0);
  draw_modules(image.get(), matrix, layout, options.module_size_px, black);

  PngImage png;
  if (caption) {
    int box[8] = {};
    int32_t x = layout.caption_centre_px - caption->width_px / 2 - caption->left_offset_px;
    // A negative colour index turns anti-aliasing off: the image keeps its two colours.
    if (string_ft(image.get(), box, -black, options.font_path, layout.font_px, x, layout.caption_baseline_px,
                  caption->gd_text) != nullptr) {
      Result<PngImage> plain = draw(matrix, options, nullptr);
      if (plain.ok()) plain->caption = CaptionOutcome::omitted_drawing_failed;
      return plain;
    }
    png.caption = CaptionOutcome::drawn;
  }

  int size = 0;
  internal::GdMemory bytes(gdImagePngPtrEx(image.get(), &size, 9));
  if (!bytes || size <= 0) return Error("qr_render_failed", "libgd could not write the PNG");
  png.bytes.assign(static_cast<const char*>(bytes.get()), static_cast<size_t>(size));
  png.width_px = layout.canvas_width_px;
  png.height_px = layout.canvas_height_px;
  return png;
}

}  // namespace

Result<PngImage> render_png(std::string_view text, const RenderOptions& options) {
  Result<internal::RenderInput> input = internal::prepare_render_input(text, options);
  if (!input.ok()) return input.error();
  const std::optional<Caption>& caption = input->caption;
  const QrMatrix& matrix = input->matrix;

  CaptionOutcome outcome = CaptionOutcome::not_requested;
  std::optional<CaptionToDraw> plan;
  if (caption) plan = plan_caption(*caption, options, outcome);
  Result<PngImage> png = draw(matrix, options, plan ? &*plan : nullptr);
  if (!png.ok()) return png;
  if (png->caption != CaptionOutcome::omitted_drawing_failed) png->caption = outcome;
  png->caption_truncated = caption && caption->truncated;
  return png;
}

std::string_view caption_outcome_name(CaptionOutcome outcome) {
  switch (outcome) {
    case CaptionOutcome::not_requested: return "not_requested";
    case CaptionOutcome::drawn: return "drawn";
    case CaptionOutcome::omitted_font_unreadable: return "omitted_font_unreadable";
    case CaptionOutcome::omitted_glyphs_missing: return "omitted_glyphs_missing";
    case CaptionOutcome::omitted_drawing_failed: return "omitted_drawing_failed";
  }
  return "unknown";
}

}  // namespace mpay::qr
