// A QR code as a PNG file, drawn with libgd: a two-colour palette image, black modules on white,
// the quiet zone around them, and optionally a caption (e.g. the merchant's display name)
// centred under the code, below the quiet zone, in a TrueType font (options.font_path).
//
// The caption is drawn only if the font file can be read and has a glyph for every character;
// otherwise the image has no caption at all (never boxes, never a partial caption) and
// PngImage::caption says why. Text is never anti-aliased, so the image stays two-colour.
//
// Threads: any; libgd's font cache is set up once, guarded by its own mutex. Failure: an Error,
// never an exception: qr_option_invalid (render_options.h), qr_caption_invalid /
// qr_caption_too_long (caption.h), the encode_qr errors (qr_encoder.h), qr_render_failed
// (libgd could not allocate or write the image).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "channels/qr/image/render_options.h"
#include "core/error.h"

namespace mpay::qr {

enum class CaptionOutcome {
  not_requested,            // options.caption was empty
  drawn,
  omitted_font_unreadable,  // the font file is missing or not a font
  omitted_glyphs_missing,   // the font has no glyph for some character (e.g. Chinese in DejaVu)
  omitted_drawing_failed,   // libgd refused to draw it
};

struct PngImage {
  std::string bytes;  // the PNG file
  int32_t width_px = 0;
  int32_t height_px = 0;
  CaptionOutcome caption = CaptionOutcome::not_requested;
  bool caption_truncated = false;  // the caption was cut to caption_characters_max with "…"
};

Result<PngImage> render_png(std::string_view text, const RenderOptions& options);

// "drawn", "omitted_font_unreadable", ... (for logs and the CLI).
std::string_view caption_outcome_name(CaptionOutcome outcome);

}  // namespace mpay::qr
