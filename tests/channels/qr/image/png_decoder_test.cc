#include <gtest/gtest.h>
#include <gd.h>

#include <string>

#include "channels/qr/image/qr_image.h"

namespace mpay::qr {
namespace {

std::string png_of(gdImagePtr image) {
  int size = 0;
  void* bytes = gdImagePngPtr(image, &size);
  std::string out(static_cast<const char*>(bytes), static_cast<size_t>(size));
  gdFree(bytes);
  gdImageDestroy(image);
  return out;
}

void expect_error(const Result<std::string>& result, const std::string& code) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, code);
}

TEST(DecodeQrPng, ReadsARenderedCode) {
  Result<PngImage> png = render_png("https://pay.example.com/r/1", RenderOptions{});
  ASSERT_TRUE(png.ok());
  Result<std::string> text = decode_qr_png(png->bytes);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "https://pay.example.com/r/1");
}

TEST(DecodeQrPng, ReadsUtf8BytesExactlyWithoutGuessingACharacterSet) {
  // Short Latin-1-looking UTF-8 is where guessing decoders go wrong (zbarimg without -Sbinary).
  for (std::string text : {"Café é", "上海面馆", "¥25.00"}) {
    Result<PngImage> png = render_png(text, RenderOptions{});
    ASSERT_TRUE(png.ok());
    Result<std::string> back = decode_qr_png(png->bytes);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, text);
  }
}

TEST(DecodeQrPng, ReadsATrueColourImageWithTransparentBackground) {
  Result<QrMatrix> matrix = encode_qr("transparent", ErrorCorrection::medium);
  ASSERT_TRUE(matrix.ok());
  int32_t module = 4, side = (matrix->width_modules + 8) * module;
  gdImagePtr image = gdImageCreateTrueColor(side, side);
  gdImageSaveAlpha(image, 1);
  gdImageAlphaBlending(image, 0);
  gdImageFilledRectangle(image, 0, 0, side - 1, side - 1, gdTrueColorAlpha(0, 0, 0, gdAlphaTransparent));
  for (int32_t y = 0; y < matrix->width_modules; ++y) {
    for (int32_t x = 0; x < matrix->width_modules; ++x) {
      if (!matrix->is_dark(x, y)) continue;
      gdImageFilledRectangle(image, (x + 4) * module, (y + 4) * module, (x + 5) * module - 1, (y + 5) * module - 1,
                             gdTrueColorAlpha(0, 0, 0, gdAlphaOpaque));
    }
  }
  Result<std::string> text = decode_qr_png(png_of(image));
  ASSERT_TRUE(text.ok()) << text.error().code;
  EXPECT_EQ(*text, "transparent");
}

TEST(DecodeQrPng, ABlankImageHasNoCode) {
  gdImagePtr image = gdImageCreate(64, 64);
  gdImageColorAllocate(image, 255, 255, 255);
  expect_error(decode_qr_png(png_of(image)), "qr_image_no_code");
}

TEST(DecodeQrPng, NotAPngIsInvalid) {
  expect_error(decode_qr_png(""), "qr_image_invalid");
  expect_error(decode_qr_png("GIF89a............................"), "qr_image_invalid");
  expect_error(decode_qr_png("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "qr_image_invalid");
}

TEST(DecodeQrPng, ATruncatedPngIsInvalid) {
  Result<PngImage> png = render_png("truncated", RenderOptions{});
  ASSERT_TRUE(png.ok());
  expect_error(decode_qr_png(std::string_view(png->bytes).substr(0, png->bytes.size() / 2)), "qr_image_invalid");
  expect_error(decode_qr_png(std::string_view(png->bytes).substr(0, 30)), "qr_image_invalid");
}

TEST(DecodeQrPng, InputOverTwoMebibytesIsTooLarge) {
  Result<PngImage> png = render_png("big", RenderOptions{});
  ASSERT_TRUE(png.ok());
  std::string padded = png->bytes + std::string(png_input_bytes_max + 1 - png->bytes.size(), '\0');
  expect_error(decode_qr_png(padded), "qr_image_too_large");
}

TEST(DecodeQrPng, DimensionsOverTheLimitAreRefusedFromTheHeader) {
  // The header claims 5000 pixels a side; the pixels are never decoded (the CRC is not even
  // consulted).
  Result<PngImage> png = render_png("wide", RenderOptions{});
  ASSERT_TRUE(png.ok());
  std::string claimed = png->bytes;
  claimed[16] = 0;
  claimed[17] = 0;
  claimed[18] = static_cast<char>(5000 >> 8);
  claimed[19] = static_cast<char>(5000 & 0xFF);
  expect_error(decode_qr_png(claimed), "qr_image_too_large");
}

TEST(DecodeQrPng, AnImageJustOverTheSideLimitIsTooLarge) {
  gdImagePtr image = gdImageCreate(png_side_px_max + 1, 1);
  gdImageColorAllocate(image, 255, 255, 255);
  expect_error(decode_qr_png(png_of(image)), "qr_image_too_large");
}

}  // namespace
}  // namespace mpay::qr
