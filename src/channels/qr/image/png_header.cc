#include "channels/qr/image/png_header_internal.h"

namespace mpay::qr::internal {
namespace {

constexpr std::string_view png_signature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view ihdr_type = "IHDR";
constexpr uint32_t ihdr_length = 13;
constexpr size_t ihdr_end = 8 + 4 + 4 + 8;  // signature, length, type, width and height

uint32_t big_endian_32(std::string_view bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3]));
}

}  // namespace

std::optional<PngDimensions> read_png_dimensions(std::string_view png_bytes) {
  if (png_bytes.size() < ihdr_end || png_bytes.substr(0, 8) != png_signature) return std::nullopt;
  if (big_endian_32(png_bytes, 8) != ihdr_length || png_bytes.substr(12, 4) != ihdr_type) return std::nullopt;
  PngDimensions dimensions{big_endian_32(png_bytes, 16), big_endian_32(png_bytes, 20)};
  if (dimensions.width_px == 0 || dimensions.height_px == 0) return std::nullopt;
  return dimensions;
}

}  // namespace mpay::qr::internal
