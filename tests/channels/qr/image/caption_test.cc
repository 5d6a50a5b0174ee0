#include <gtest/gtest.h>

#include <string>

#include "channels/qr/image/qr_image.h"

namespace mpay::qr {
namespace {

TEST(Caption, ShortCaptionIsKeptAsIs) {
  Result<Caption> caption = prepare_caption("上海面馆 Noodle Bar");
  ASSERT_TRUE(caption.ok());
  EXPECT_EQ(caption->text, "上海面馆 Noodle Bar");
  EXPECT_EQ(caption->code_points.size(), 15u);
  EXPECT_FALSE(caption->truncated);
}

TEST(Caption, ExactlyFortyCharactersIsNotCut) {
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "面";
  Result<Caption> caption = prepare_caption(forty);
  ASSERT_TRUE(caption.ok());
  EXPECT_EQ(caption->text, forty);
  EXPECT_FALSE(caption->truncated);
}

TEST(Caption, LongerCaptionIsCutToFortyCharactersWithAnEllipsis) {
  std::string long_caption;
  for (int i = 0; i < 50; ++i) long_caption += "面";
  Result<Caption> caption = prepare_caption(long_caption);
  ASSERT_TRUE(caption.ok());
  std::string expected;
  for (int i = 0; i < 39; ++i) expected += "面";
  expected += "…";
  EXPECT_EQ(caption->text, expected);  // cut on characters, never inside a UTF-8 sequence
  EXPECT_EQ(caption->code_points.size(), caption_characters_max);
  EXPECT_TRUE(caption->truncated);
}

TEST(Caption, InvalidUtf8AndControlCharactersAreRejected) {
  for (std::string bad : {std::string("caf\xC3"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                          std::string("line\nbreak"), std::string("nul\0x", 5), std::string("del\x7F")}) {
    Result<Caption> caption = prepare_caption(bad);
    ASSERT_FALSE(caption.ok());
    EXPECT_EQ(caption.error().code, "qr_caption_invalid");
    EXPECT_EQ(caption.error().field, "caption");
  }
}

TEST(Caption, InputOverTheByteLimitIsRejected) {
  Result<Caption> caption = prepare_caption(std::string(caption_bytes_max + 1, 'a'));
  ASSERT_FALSE(caption.ok());
  EXPECT_EQ(caption.error().code, "qr_caption_too_long");
}

TEST(Caption, RenderersRejectABadCaption) {
  RenderOptions options;
  options.caption = "bad\x01";
  Result<PngImage> png = render_png("x", options);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, "qr_caption_invalid");
  Result<std::string> svg = render_svg("x", options);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, "qr_caption_invalid");
}

}  // namespace
}  // namespace mpay::qr
