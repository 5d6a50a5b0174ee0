// Every limit of the QR image module, in one place: what it draws (module size, quiet zone,
// caption) and what it agrees to read back (input bytes, pixels). Constants only; safe anywhere.
// Values outside these bounds are rejected with an Error, never clamped silently.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mpay::qr {

// The QR symbol itself (ISO/IEC 18004): version 40 is 177 modules wide; the most it holds is
// 7089 digits (numeric mode, level L). Longer text cannot fit whatever its content.
inline constexpr int32_t symbol_modules_max = 177;
inline constexpr size_t text_bytes_max = 7089;

// Drawing.
inline constexpr int32_t module_size_px_min = 1;
inline constexpr int32_t module_size_px_max = 32;
inline constexpr int32_t module_size_px_default = 8;
inline constexpr int32_t quiet_zone_modules_min = 0;  // below the spec's 4 only when asked explicitly
inline constexpr int32_t quiet_zone_modules_spec = 4;  // the minimum ISO/IEC 18004 asks for
inline constexpr int32_t quiet_zone_modules_max = 16;

// The caption under the code (e.g. the merchant's display name).
inline constexpr size_t caption_characters_max = 40;  // longer: cut to 39 and an ellipsis
inline constexpr size_t caption_bytes_max = 1024;     // input larger than this is rejected
inline constexpr int32_t caption_font_px_min = 10;
inline constexpr int32_t caption_font_px_max = 32;

// The largest canvas a valid option set can produce, side by side: the widest symbol with the
// widest quiet zone at the largest module size, or the longest caption at the largest font
// (every character a full em, plus an em of padding each side).
inline constexpr int32_t canvas_side_px_max = 8192;
static_assert((symbol_modules_max + 2 * quiet_zone_modules_max) * module_size_px_max <=
                  canvas_side_px_max,
              "the largest symbol must fit the canvas limit");
static_assert((static_cast<int32_t>(caption_characters_max) + 2) * caption_font_px_max +
                      (symbol_modules_max + 2 * quiet_zone_modules_max) * module_size_px_max <=
                  2 * canvas_side_px_max,
              "symbol plus caption band must stay within the canvas limits");

// Reading images back (decode_qr_png): checked before the pixels are decoded.
inline constexpr size_t png_input_bytes_max = 2 * 1024 * 1024;
inline constexpr int32_t png_side_px_max = 4096;

}  // namespace mpay::qr
