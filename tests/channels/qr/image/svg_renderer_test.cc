#include <gtest/gtest.h>

#include <string>

#include "channels/qr/image/qr_image.h"

namespace mpay::qr {
namespace {

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

TEST(RenderSvg, HasABackgroundOnePathAndCrispEdgesInPixels) {
  RenderOptions options;
  options.module_size_px = 5;
  Result<std::string> svg = render_svg("284619370512648301", options);
  ASSERT_TRUE(svg.ok());
  // Version 1: 21 modules + 2 * 4 quiet zone = 29 modules of 5 pixels.
  EXPECT_NE(svg->find("width=\"145\" height=\"145\" viewBox=\"0 0 145 145\""), std::string::npos) << *svg;
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_EQ(count_of(*svg, "<rect"), 1u);
  EXPECT_NE(svg->find("fill=\"#ffffff\""), std::string::npos);
  EXPECT_EQ(count_of(*svg, "<path"), 1u);
  EXPECT_EQ(count_of(*svg, "<text"), 0u);
  // The top-left finder's first row is one run of 7 modules starting after the quiet zone.
  EXPECT_NE(svg->find("d=\"M20 20h35v5h-35z"), std::string::npos) << *svg;
}

TEST(RenderSvg, CaptionIsEscapedAndAnyUnicodeIsKept) {
  RenderOptions options;
  options.caption = "<Noodle> & \"上海面馆\" 'x'";
  Result<std::string> svg = render_svg("hello", options);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find(">&lt;Noodle&gt; &amp; &quot;上海面馆&quot; &apos;x&apos;</text>"), std::string::npos)
      << *svg;
  EXPECT_EQ(count_of(*svg, "<text"), 1u);
  EXPECT_NE(svg->find("text-anchor=\"middle\""), std::string::npos);
}

TEST(RenderSvg, CaptionAddsTheSameBandAsThePng) {
  RenderOptions options;
  options.caption = "Noodle Bar";
  Result<std::string> svg = render_svg("hello", options);
  Result<PngImage> png = render_png("hello", options);
  ASSERT_TRUE(svg.ok() && png.ok());
  EXPECT_NE(svg->find("height=\"" + std::to_string(png->height_px) + "\""), std::string::npos);
}

TEST(RenderSvg, LongCaptionIsTruncated) {
  RenderOptions options;
  options.caption = std::string(60, 'W');
  Result<std::string> svg = render_svg("hello", options);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find(std::string(39, 'W') + "…</text>"), std::string::npos);
  EXPECT_EQ(svg->find(std::string(40, 'W')), std::string::npos);
}

TEST(RenderSvg, TooLongTextIsRejected) {
  RenderOptions options;
  options.level = ErrorCorrection::high;
  Result<std::string> svg = render_svg(std::string(1274, 'x'), options);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, "qr_text_too_long");
}

}  // namespace
}  // namespace mpay::qr
