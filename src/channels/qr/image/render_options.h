// How a QR code is drawn, shared by the PNG and the SVG renderer, and the check of those
// options. Plain values; validation is a pure function, safe from any thread.
//
// Failure: validate_render_options returns qr_option_invalid (field names the option) for a
// module size or quiet zone out of range, or a quiet zone under the spec's 4 modules without
// allow_narrow_quiet_zone; caption errors come from prepare_caption (caption.h).
#pragma once

#include <cstdint>
#include <string>

#include "channels/qr/image/error_correction.h"
#include "channels/qr/image/image_limits.h"
#include "core/error.h"

namespace mpay::qr {

inline constexpr const char* default_caption_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct RenderOptions {
  ErrorCorrection level = ErrorCorrection::medium;
  int32_t module_size_px = module_size_px_default;        // 1..32
  int32_t quiet_zone_modules = quiet_zone_modules_spec;   // 0..16; under 4 needs the flag below
  bool allow_narrow_quiet_zone = false;                   // the caller knows the code may not scan
  std::string caption;                                    // UTF-8; empty: no caption
  std::string font_path = default_caption_font_path;      // TrueType font for the PNG caption
};

Status validate_render_options(const RenderOptions& options);

}  // namespace mpay::qr
