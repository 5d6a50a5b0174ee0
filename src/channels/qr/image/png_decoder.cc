#include "channels/qr/image/png_decoder.h"

// ZXing-cpp 1.4: text() as UTF-8 std::string (the transition its headers announce).
#define ZX_USE_UTF8 1
#include <ZXing/DecodeHints.h>
#include <ZXing/ReadBarcode.h>

#include <cstdint>
#include <exception>
#include <vector>

#include "channels/qr/image/gd_image_internal.h"
#include "channels/qr/image/image_limits.h"
#include "channels/qr/image/png_header_internal.h"

namespace mpay::qr {
namespace {

constexpr int alpha_opaque = 0;          // libgd's alpha runs from 0 (opaque)
constexpr int alpha_transparent = 127;   // to 127 (fully transparent)

// 8-bit luminance, each pixel composited over white.
std::vector<uint8_t> luminance_of(gdImagePtr image, int width, int height) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      int colour = gdImageGetPixel(image, x, y);
      int red = gdImageRed(image, colour), green = gdImageGreen(image, colour), blue = gdImageBlue(image, colour);
      int alpha = gdImageAlpha(image, colour);
      int luminance = (red * 299 + green * 587 + blue * 114) / 1000;
      if (alpha > alpha_opaque) {
        luminance = (luminance * (alpha_transparent - alpha) + 255 * alpha) / alpha_transparent;
      }
      pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)] =
          static_cast<uint8_t>(luminance);
    }
  }
  return pixels;
}

Result<std::string> read_code(const std::vector<uint8_t>& pixels, int width, int height) {
  try {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    ZXing::ImageView view(pixels.data(), width, height, ZXing::ImageFormat::Lum);
    ZXing::Result result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid()) return Error("qr_image_no_code", "no readable QR code in the image");
    if (result.hasECI()) return result.text();
    const ZXing::ByteArray& bytes = result.bytes();
    return std::string(bytes.begin(), bytes.end());
  } catch (const std::exception& error) {
    return Error("qr_image_no_code", std::string("the QR decoder failed: ") + error.what());
  }
}

}  // namespace

Result<std::string> decode_qr_png(std::string_view png_bytes) {
  if (png_bytes.size() > png_input_bytes_max) {
    return Error("qr_image_too_large", "the image is over " + std::to_string(png_input_bytes_max) + " bytes");
  }
  std::optional<internal::PngDimensions> dimensions = internal::read_png_dimensions(png_bytes);
  if (!dimensions) return Error("qr_image_invalid", "the input is not a PNG image");
  if (dimensions->width_px > static_cast<uint32_t>(png_side_px_max) ||
      dimensions->height_px > static_cast<uint32_t>(png_side_px_max)) {
    return Error("qr_image_too_large", "the image is over " + std::to_string(png_side_px_max) + " pixels a side");
  }
  // libgd takes a non-const pointer but only reads from it.
  internal::GdImage image(gdImageCreateFromPngPtr(static_cast<int>(png_bytes.size()),
                                                  const_cast<char*>(png_bytes.data())));
  if (!image) return Error("qr_image_invalid", "the PNG image could not be decoded");
  int width = gdImageSX(image.get()), height = gdImageSY(image.get());
  MPAY_CHECK(width > 0 && height > 0 && width <= png_side_px_max && height <= png_side_px_max,
             "libgd decoded other dimensions than the header claimed");
  return read_code(luminance_of(image.get(), width, height), width, height);
}

}  // namespace mpay::qr
