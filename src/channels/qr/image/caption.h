// The caption drawn under a QR code (e.g. the merchant's display name): checked and cut to the
// limit before either renderer sees it. Pure; safe from any thread.
//
// A caption longer than caption_characters_max (counted in Unicode code points, not bytes) is
// cut to one less and ends with "…" (U+2026). Failure: qr_caption_invalid (not UTF-8, or a
// control character, which neither a PNG font nor XML can show), qr_caption_too_long (input
// over caption_bytes_max bytes, rejected rather than cut).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mpay::qr {

struct Caption {
  std::string text;                   // UTF-8, at most caption_characters_max code points
  std::vector<char32_t> code_points;  // the same text, decoded
  bool truncated = false;             // true when the input was cut and the ellipsis added
};

Result<Caption> prepare_caption(std::string_view text);

}  // namespace mpay::qr
