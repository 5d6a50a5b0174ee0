#include <gtest/gtest.h>

#include "channels/qr/image/qr_image.h"

namespace mpay::qr {
namespace {

void expect_rejected(const RenderOptions& options, const std::string& field) {
  Status status = validate_render_options(options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "qr_option_invalid");
  EXPECT_EQ(status.error().field, field);
  Result<PngImage> png = render_png("x", options);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, "qr_option_invalid");
  Result<std::string> svg = render_svg("x", options);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, "qr_option_invalid");
}

TEST(RenderOptions, DefaultsAreTheSpecsQuietZoneAndEightPixelModules) {
  RenderOptions options;
  EXPECT_TRUE(validate_render_options(options).ok());
  EXPECT_EQ(options.module_size_px, 8);
  EXPECT_EQ(options.quiet_zone_modules, 4);
  EXPECT_EQ(options.level, ErrorCorrection::medium);
}

TEST(RenderOptions, ModuleSizeOutsideOneToThirtyTwoIsRejected) {
  for (int32_t size : {0, -1, 33, 1000}) {
    RenderOptions options;
    options.module_size_px = size;
    expect_rejected(options, "module_size_px");
  }
  for (int32_t size : {1, 32}) {
    RenderOptions options;
    options.module_size_px = size;
    EXPECT_TRUE(validate_render_options(options).ok());
  }
}

TEST(RenderOptions, QuietZoneOutsideZeroToSixteenIsRejected) {
  for (int32_t zone : {-1, 17}) {
    RenderOptions options;
    options.quiet_zone_modules = zone;
    options.allow_narrow_quiet_zone = true;
    expect_rejected(options, "quiet_zone_modules");
  }
}

TEST(RenderOptions, QuietZoneUnderFourNeedsTheExplicitFlag) {
  RenderOptions options;
  options.quiet_zone_modules = 2;
  expect_rejected(options, "quiet_zone_modules");
  options.allow_narrow_quiet_zone = true;
  EXPECT_TRUE(validate_render_options(options).ok());
  Result<PngImage> png = render_png("narrow", options);
  ASSERT_TRUE(png.ok());
  Result<QrMatrix> matrix = encode_qr("narrow", options.level);
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(png->width_px, (matrix->width_modules + 4) * 8);
}

}  // namespace
}  // namespace mpay::qr
