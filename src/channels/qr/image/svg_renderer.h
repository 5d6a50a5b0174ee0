// A QR code as an SVG document, written as text: a white background rectangle, one <path> of
// the dark modules (horizontal runs merged) with shape-rendering="crispEdges", width, height and
// viewBox in pixels from the same options as the PNG (module size, quiet zone), and the caption
// as an XML-escaped <text> centred under the quiet zone. Any Unicode caption is kept: the viewer
// picks a font that has the characters. The canvas is widened for a long caption by an estimate
// of its width (no font is at hand here).
//
// Threads: any (pure). Failure: an Error, never an exception: qr_option_invalid
// (render_options.h; font_path is ignored), qr_caption_invalid / qr_caption_too_long
// (caption.h), the encode_qr errors (qr_encoder.h).
#pragma once

#include <string>
#include <string_view>

#include "channels/qr/image/render_options.h"
#include "core/error.h"

namespace mpay::qr {

Result<std::string> render_svg(std::string_view text, const RenderOptions& options);

}  // namespace mpay::qr
