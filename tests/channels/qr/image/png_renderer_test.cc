#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "channels/qr/image/external_decoders.h"
#include "channels/qr/image/qr_image.h"
#include "support/temp_directory.h"

namespace mpay::qr {
namespace {

constexpr const char* payload = "00020101021226370014A0000006150001010650101252045814530315658"
                                "02CN5913Noodle Bar Co6008Shanghai6304ABCD";

uint32_t big_endian_32(const std::string& bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3]));
}

// The PLTE chunk's number of entries, or 0 without one.
size_t palette_entries(const std::string& png) {
  for (size_t at = 8; at + 8 <= png.size();) {
    uint32_t length = big_endian_32(png, at);
    if (png.compare(at + 4, 4, "PLTE") == 0) return length / 3;
    at += 12 + length;
  }
  return 0;
}

TEST(RenderPng, IsATwoColourPaletteImageOfTheExpectedSize) {
  Result<PngImage> png = render_png(payload, RenderOptions{});
  ASSERT_TRUE(png.ok());
  Result<QrMatrix> matrix = encode_qr(payload, ErrorCorrection::medium);
  ASSERT_TRUE(matrix.ok());
  int32_t side = (matrix->width_modules + 8) * 8;
  EXPECT_EQ(png->width_px, side);
  EXPECT_EQ(png->height_px, side);
  ASSERT_GT(png->bytes.size(), 26u);
  EXPECT_EQ(big_endian_32(png->bytes, 16), static_cast<uint32_t>(side));
  EXPECT_EQ(png->bytes[25], 3) << "colour type: palette";
  EXPECT_EQ(palette_entries(png->bytes), 2u);
}

TEST(RenderPng, CaptionAddsABandUnderTheCodeAndStaysTwoColour) {
  RenderOptions options;
  Result<PngImage> plain = render_png(payload, options);
  options.caption = "Noodle Bar & Co";
  Result<PngImage> captioned = render_png(payload, options);
  ASSERT_TRUE(plain.ok() && captioned.ok());
  EXPECT_EQ(captioned->caption, CaptionOutcome::drawn);
  EXPECT_EQ(captioned->height_px, plain->height_px + 2 * 16);  // two 16-pixel font heights
  EXPECT_EQ(captioned->width_px, plain->width_px);
  EXPECT_EQ(palette_entries(captioned->bytes), 2u);  // no anti-aliasing greys
  EXPECT_NE(captioned->bytes, plain->bytes);
}

TEST(RenderPng, MissingFontFallsBackToNoCaptionAndSaysSo) {
  RenderOptions options;
  Result<PngImage> plain = render_png(payload, options);
  options.caption = "Noodle Bar";
  options.font_path = "/nonexistent/NoSuchFont.ttf";
  Result<PngImage> png = render_png(payload, options);
  ASSERT_TRUE(png.ok() && plain.ok());
  EXPECT_EQ(png->caption, CaptionOutcome::omitted_font_unreadable);
  EXPECT_EQ(png->bytes, plain->bytes);  // exactly the image without a caption
  Result<std::string> back = decode_qr_png(png->bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, payload);
}

TEST(RenderPng, AFileThatIsNotAFontFallsBackToNoCaption) {
  mpay::testing::TempDirectory directory;
  std::string path = directory.path() + "/not-a-font.ttf";
  testing::write_file(path, "this is not a TrueType font");
  RenderOptions options;
  options.caption = "Noodle Bar";
  options.font_path = path;
  Result<PngImage> png = render_png(payload, options);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->caption, CaptionOutcome::omitted_font_unreadable);
}

TEST(RenderPng, ChineseCaptionWithDejaVuFallsBackToNoCaptionRatherThanBoxes) {
  RenderOptions options;
  Result<PngImage> plain = render_png(payload, options);
  options.caption = "Noodle 上海面馆";
  Result<PngImage> png = render_png(payload, options);
  ASSERT_TRUE(png.ok() && plain.ok());
  EXPECT_EQ(png->caption, CaptionOutcome::omitted_glyphs_missing);
  EXPECT_EQ(png->bytes, plain->bytes);
}

TEST(RenderPng, AnotherFontCanBeChosen) {
  RenderOptions options;
  options.caption = "Noodle Bar";
  Result<PngImage> sans = render_png(payload, options);
  options.font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
  Result<PngImage> serif = render_png(payload, options);
  ASSERT_TRUE(sans.ok() && serif.ok());
  EXPECT_EQ(serif->caption, CaptionOutcome::drawn);
  EXPECT_NE(serif->bytes, sans->bytes);
}

TEST(RenderPng, LongCaptionIsTruncatedWidensTheImageAndTheCodeStillScans) {
  mpay::testing::TempDirectory directory;
  RenderOptions options;
  options.module_size_px = 2;
  options.caption = "The Very Long Display Name Of A Noodle Bar In Shanghai Huangpu District";
  Result<PngImage> png = render_png(payload, options);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->caption, CaptionOutcome::drawn);
  EXPECT_TRUE(png->caption_truncated);
  Result<QrMatrix> matrix = encode_qr(payload, options.level);
  ASSERT_TRUE(matrix.ok());
  EXPECT_GT(png->width_px, (matrix->width_modules + 8) * 2);  // widened for the caption
  std::string path = directory.path() + "/long.png";
  testing::write_file(path, png->bytes);
  EXPECT_EQ(testing::zbarimg_decode(path), std::optional<std::string>(payload));
  Result<std::string> back = decode_qr_png(png->bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, payload);
}

TEST(RenderPng, AmpersandEntitiesInTheCaptionAreDrawnLiterally) {
  // libgd reads "&#20013;" as a character reference; the caption must not be reinterpreted
  // (here it would name a Chinese character DejaVu lacks, and fall back).
  RenderOptions options;
  options.caption = "&#20013; Bar";
  Result<PngImage> png = render_png(payload, options);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->caption, CaptionOutcome::drawn);
}

TEST(RenderPng, TooLongTextIsRejected) {
  Result<PngImage> png = render_png(std::string(3000, 'x'), RenderOptions{});
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, "qr_text_too_long");
  Result<PngImage> empty = render_png("", RenderOptions{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "qr_text_empty");
}

TEST(RenderPng, CaptionOutcomesHaveNames) {
  EXPECT_EQ(caption_outcome_name(CaptionOutcome::drawn), "drawn");
  EXPECT_EQ(caption_outcome_name(CaptionOutcome::omitted_glyphs_missing), "omitted_glyphs_missing");
}

}  // namespace
}  // namespace mpay::qr
