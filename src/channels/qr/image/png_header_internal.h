// Internal to the QR image module: the width and height a PNG file claims, read from its
// signature and IHDR chunk without decoding anything, so that oversized images are refused
// before libgd allocates pixels. Pure; safe from any thread. Not a PNG (wrong signature, no
// IHDR first, zero size): nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mpay::qr::internal {

struct PngDimensions {
  uint32_t width_px = 0;
  uint32_t height_px = 0;
};

std::optional<PngDimensions> read_png_dimensions(std::string_view png_bytes);

}  // namespace mpay::qr::internal
